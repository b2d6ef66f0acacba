-- The legacy Prisma database adopted as version 1, made by the migration runner of commit 08a6a61 (before the shared runner): an upgrade must apply nothing and record nothing new. pg_dump --inserts, psql meta-commands removed.
--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: BatchStatus; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."BatchStatus" AS ENUM (
    'UPCOMING',
    'ONGOING',
    'COMPLETED',
    'CANCELLED'
);


--
-- Name: BootcampMode; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."BootcampMode" AS ENUM (
    'LIVE',
    'RECORDED',
    'HYBRID'
);


--
-- Name: ContentType; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."ContentType" AS ENUM (
    'VIDEO',
    'DOCUMENT',
    'LINK',
    'QUIZ',
    'TEXT'
);


--
-- Name: EnrollmentStatus; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."EnrollmentStatus" AS ENUM (
    'PENDING',
    'ACTIVE',
    'COMPLETED',
    'DROPPED',
    'SUSPENDED'
);


--
-- Name: LeadSource; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."LeadSource" AS ENUM (
    'WEBSITE',
    'REFERRAL',
    'SOCIAL_MEDIA',
    'ADVERTISEMENT',
    'DIRECT',
    'OTHER'
);


--
-- Name: LeadStatus; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."LeadStatus" AS ENUM (
    'NEW',
    'CONTACTED',
    'FOLLOWUP',
    'INTERESTED',
    'ENROLLED',
    'LOST'
);


--
-- Name: PaymentMethod; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."PaymentMethod" AS ENUM (
    'CREDIT_CARD',
    'DEBIT_CARD',
    'UPI',
    'NET_BANKING',
    'CASH',
    'OTHER'
);


--
-- Name: PaymentStatus; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."PaymentStatus" AS ENUM (
    'PENDING',
    'COMPLETED',
    'FAILED',
    'REFUNDED'
);


--
-- Name: ResourceType; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."ResourceType" AS ENUM (
    'PDF',
    'VIDEO',
    'LINK',
    'CODE',
    'IMAGE',
    'OTHER'
);


--
-- Name: SubmissionStatus; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."SubmissionStatus" AS ENUM (
    'PENDING',
    'SUBMITTED',
    'GRADED',
    'LATE'
);


--
-- Name: UserRole; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public."UserRole" AS ENUM (
    'ADMIN',
    'SALES',
    'INSTRUCTOR',
    'MENTOR',
    'STUDENT'
);


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: announcements; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.announcements (
    id text NOT NULL,
    batch_id text NOT NULL,
    title text NOT NULL,
    message text NOT NULL,
    created_by text NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: assignments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assignments (
    id text NOT NULL,
    lesson_id text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    max_score integer DEFAULT 100 NOT NULL,
    deadline timestamp(3) without time zone,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: attendance; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.attendance (
    id text NOT NULL,
    enrollment_id text NOT NULL,
    batch_id text NOT NULL,
    session_date timestamp(3) without time zone NOT NULL,
    present boolean DEFAULT false NOT NULL,
    marked_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: batches; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.batches (
    id text NOT NULL,
    bootcamp_id text NOT NULL,
    batch_name text NOT NULL,
    start_date timestamp(3) without time zone NOT NULL,
    end_date timestamp(3) without time zone NOT NULL,
    capacity integer NOT NULL,
    status public."BatchStatus" DEFAULT 'UPCOMING'::public."BatchStatus" NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: bootcamps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bootcamps (
    id text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    mode public."BootcampMode" NOT NULL,
    price numeric(10,2) NOT NULL,
    duration integer,
    is_active boolean DEFAULT true NOT NULL,
    created_by text NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: certificates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.certificates (
    id text NOT NULL,
    enrollment_id text NOT NULL,
    verification_code text NOT NULL,
    issued_by text NOT NULL,
    issued_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: cohortly_schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.cohortly_schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp(3) without time zone DEFAULT (now() AT TIME ZONE 'UTC'::text) NOT NULL,
    adopted boolean DEFAULT false NOT NULL
);


--
-- Name: enrollments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.enrollments (
    id text NOT NULL,
    student_id text NOT NULL,
    batch_id text NOT NULL,
    status public."EnrollmentStatus" DEFAULT 'PENDING'::public."EnrollmentStatus" NOT NULL,
    enrolled_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    completed_at timestamp(3) without time zone,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: grades; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.grades (
    id text NOT NULL,
    submission_id text NOT NULL,
    score integer NOT NULL,
    feedback text,
    graded_by text NOT NULL,
    graded_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: instructor_batches; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.instructor_batches (
    id text NOT NULL,
    batch_id text NOT NULL,
    instructor_id text NOT NULL,
    assigned_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: lead_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.lead_logs (
    id text NOT NULL,
    lead_id text NOT NULL,
    note text NOT NULL,
    next_follow_up timestamp(3) without time zone,
    created_by text NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: leads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.leads (
    id text NOT NULL,
    full_name text NOT NULL,
    email text NOT NULL,
    phone text,
    source public."LeadSource" NOT NULL,
    status public."LeadStatus" DEFAULT 'NEW'::public."LeadStatus" NOT NULL,
    assigned_to text,
    created_by text NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: lessons; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.lessons (
    id text NOT NULL,
    module_id text NOT NULL,
    title text NOT NULL,
    description text,
    content_type public."ContentType" NOT NULL,
    content_url text,
    duration integer,
    order_index integer NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: mentor_batches; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.mentor_batches (
    id text NOT NULL,
    batch_id text NOT NULL,
    mentor_id text NOT NULL,
    assigned_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: modules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.modules (
    id text NOT NULL,
    bootcamp_id text NOT NULL,
    title text NOT NULL,
    description text,
    order_index integer NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications (
    id text NOT NULL,
    user_id text NOT NULL,
    title text NOT NULL,
    message text NOT NULL,
    is_read boolean DEFAULT false NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: payments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payments (
    id text NOT NULL,
    enrollment_id text NOT NULL,
    amount numeric(10,2) NOT NULL,
    method public."PaymentMethod" NOT NULL,
    status public."PaymentStatus" DEFAULT 'PENDING'::public."PaymentStatus" NOT NULL,
    transaction_id text,
    paid_at timestamp(3) without time zone,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: refresh_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.refresh_tokens (
    id text NOT NULL,
    user_id text NOT NULL,
    token text NOT NULL,
    expires_at timestamp(3) without time zone NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    family_id text,
    rotated_at timestamp(3) without time zone
);


--
-- Name: resources; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resources (
    id text NOT NULL,
    lesson_id text NOT NULL,
    title text NOT NULL,
    type public."ResourceType" NOT NULL,
    url text NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: submissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.submissions (
    id text NOT NULL,
    assignment_id text NOT NULL,
    student_id text NOT NULL,
    submission_url text,
    content text,
    status public."SubmissionStatus" DEFAULT 'PENDING'::public."SubmissionStatus" NOT NULL,
    submitted_at timestamp(3) without time zone,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id text NOT NULL,
    email text NOT NULL,
    password_hash text NOT NULL,
    role public."UserRole" NOT NULL,
    full_name text NOT NULL,
    phone text,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


--
-- Data for Name: announcements; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: assignments; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: attendance; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: batches; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: bootcamps; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: certificates; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: cohortly_schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.cohortly_schema_migrations VALUES (1, 'baseline', '2026-12-02 06:52:55.482', true);
INSERT INTO public.cohortly_schema_migrations VALUES (2, 'refresh_token_rotation', '2026-12-02 06:52:55.485', false);
INSERT INTO public.cohortly_schema_migrations VALUES (3, 'list_indexes', '2026-12-02 06:52:55.493', false);


--
-- Data for Name: enrollments; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: grades; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: instructor_batches; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: lead_logs; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: leads; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: lessons; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: mentor_batches; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: modules; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: notifications; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: payments; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: refresh_tokens; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: resources; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: submissions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: announcements announcements_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.announcements
    ADD CONSTRAINT announcements_pkey PRIMARY KEY (id);


--
-- Name: assignments assignments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assignments
    ADD CONSTRAINT assignments_pkey PRIMARY KEY (id);


--
-- Name: attendance attendance_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attendance
    ADD CONSTRAINT attendance_pkey PRIMARY KEY (id);


--
-- Name: batches batches_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.batches
    ADD CONSTRAINT batches_pkey PRIMARY KEY (id);


--
-- Name: bootcamps bootcamps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bootcamps
    ADD CONSTRAINT bootcamps_pkey PRIMARY KEY (id);


--
-- Name: certificates certificates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.certificates
    ADD CONSTRAINT certificates_pkey PRIMARY KEY (id);


--
-- Name: cohortly_schema_migrations cohortly_schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cohortly_schema_migrations
    ADD CONSTRAINT cohortly_schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: enrollments enrollments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enrollments
    ADD CONSTRAINT enrollments_pkey PRIMARY KEY (id);


--
-- Name: grades grades_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.grades
    ADD CONSTRAINT grades_pkey PRIMARY KEY (id);


--
-- Name: instructor_batches instructor_batches_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.instructor_batches
    ADD CONSTRAINT instructor_batches_pkey PRIMARY KEY (id);


--
-- Name: lead_logs lead_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.lead_logs
    ADD CONSTRAINT lead_logs_pkey PRIMARY KEY (id);


--
-- Name: leads leads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.leads
    ADD CONSTRAINT leads_pkey PRIMARY KEY (id);


--
-- Name: lessons lessons_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.lessons
    ADD CONSTRAINT lessons_pkey PRIMARY KEY (id);


--
-- Name: mentor_batches mentor_batches_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mentor_batches
    ADD CONSTRAINT mentor_batches_pkey PRIMARY KEY (id);


--
-- Name: modules modules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modules
    ADD CONSTRAINT modules_pkey PRIMARY KEY (id);


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: payments payments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id);


--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id);


--
-- Name: resources resources_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resources
    ADD CONSTRAINT resources_pkey PRIMARY KEY (id);


--
-- Name: submissions submissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submissions
    ADD CONSTRAINT submissions_pkey PRIMARY KEY (id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: announcements_batch_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX announcements_batch_id_idx ON public.announcements USING btree (batch_id);


--
-- Name: announcements_created_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX announcements_created_at_idx ON public.announcements USING btree (created_at);


--
-- Name: assignments_deadline_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assignments_deadline_idx ON public.assignments USING btree (deadline);


--
-- Name: assignments_lesson_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assignments_lesson_id_idx ON public.assignments USING btree (lesson_id);


--
-- Name: attendance_enrollment_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attendance_enrollment_id_idx ON public.attendance USING btree (enrollment_id);


--
-- Name: attendance_enrollment_id_session_date_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX attendance_enrollment_id_session_date_key ON public.attendance USING btree (enrollment_id, session_date);


--
-- Name: attendance_session_date_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attendance_session_date_idx ON public.attendance USING btree (session_date);


--
-- Name: batches_bootcamp_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX batches_bootcamp_id_idx ON public.batches USING btree (bootcamp_id);


--
-- Name: batches_start_date_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX batches_start_date_idx ON public.batches USING btree (start_date);


--
-- Name: batches_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX batches_status_idx ON public.batches USING btree (status);


--
-- Name: bootcamps_is_active_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX bootcamps_is_active_idx ON public.bootcamps USING btree (is_active);


--
-- Name: certificates_enrollment_id_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX certificates_enrollment_id_key ON public.certificates USING btree (enrollment_id);


--
-- Name: certificates_verification_code_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX certificates_verification_code_idx ON public.certificates USING btree (verification_code);


--
-- Name: certificates_verification_code_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX certificates_verification_code_key ON public.certificates USING btree (verification_code);


--
-- Name: cohortly_assignments_created_at_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cohortly_assignments_created_at_id_idx ON public.assignments USING btree (created_at DESC, id);


--
-- Name: cohortly_enrollments_created_at_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cohortly_enrollments_created_at_id_idx ON public.enrollments USING btree (created_at DESC, id);


--
-- Name: cohortly_lead_logs_created_by_follow_up_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cohortly_lead_logs_created_by_follow_up_idx ON public.lead_logs USING btree (created_by, next_follow_up);


--
-- Name: cohortly_leads_created_at_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cohortly_leads_created_at_id_idx ON public.leads USING btree (created_at DESC, id);


--
-- Name: cohortly_refresh_tokens_family_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cohortly_refresh_tokens_family_id_idx ON public.refresh_tokens USING btree (family_id);


--
-- Name: enrollments_batch_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX enrollments_batch_id_idx ON public.enrollments USING btree (batch_id);


--
-- Name: enrollments_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX enrollments_status_idx ON public.enrollments USING btree (status);


--
-- Name: enrollments_student_id_batch_id_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX enrollments_student_id_batch_id_key ON public.enrollments USING btree (student_id, batch_id);


--
-- Name: enrollments_student_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX enrollments_student_id_idx ON public.enrollments USING btree (student_id);


--
-- Name: grades_submission_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX grades_submission_id_idx ON public.grades USING btree (submission_id);


--
-- Name: grades_submission_id_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX grades_submission_id_key ON public.grades USING btree (submission_id);


--
-- Name: instructor_batches_batch_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX instructor_batches_batch_id_idx ON public.instructor_batches USING btree (batch_id);


--
-- Name: instructor_batches_batch_id_instructor_id_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX instructor_batches_batch_id_instructor_id_key ON public.instructor_batches USING btree (batch_id, instructor_id);


--
-- Name: instructor_batches_instructor_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX instructor_batches_instructor_id_idx ON public.instructor_batches USING btree (instructor_id);


--
-- Name: lead_logs_lead_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX lead_logs_lead_id_idx ON public.lead_logs USING btree (lead_id);


--
-- Name: lead_logs_next_follow_up_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX lead_logs_next_follow_up_idx ON public.lead_logs USING btree (next_follow_up);


--
-- Name: leads_assigned_to_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX leads_assigned_to_idx ON public.leads USING btree (assigned_to);


--
-- Name: leads_email_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX leads_email_idx ON public.leads USING btree (email);


--
-- Name: leads_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX leads_status_idx ON public.leads USING btree (status);


--
-- Name: lessons_module_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX lessons_module_id_idx ON public.lessons USING btree (module_id);


--
-- Name: lessons_order_index_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX lessons_order_index_idx ON public.lessons USING btree (order_index);


--
-- Name: mentor_batches_batch_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX mentor_batches_batch_id_idx ON public.mentor_batches USING btree (batch_id);


--
-- Name: mentor_batches_batch_id_mentor_id_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX mentor_batches_batch_id_mentor_id_key ON public.mentor_batches USING btree (batch_id, mentor_id);


--
-- Name: mentor_batches_mentor_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX mentor_batches_mentor_id_idx ON public.mentor_batches USING btree (mentor_id);


--
-- Name: modules_bootcamp_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX modules_bootcamp_id_idx ON public.modules USING btree (bootcamp_id);


--
-- Name: modules_order_index_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX modules_order_index_idx ON public.modules USING btree (order_index);


--
-- Name: notifications_created_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_created_at_idx ON public.notifications USING btree (created_at);


--
-- Name: notifications_is_read_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_is_read_idx ON public.notifications USING btree (is_read);


--
-- Name: notifications_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_user_id_idx ON public.notifications USING btree (user_id);


--
-- Name: payments_enrollment_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX payments_enrollment_id_idx ON public.payments USING btree (enrollment_id);


--
-- Name: payments_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX payments_status_idx ON public.payments USING btree (status);


--
-- Name: payments_transaction_id_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX payments_transaction_id_key ON public.payments USING btree (transaction_id);


--
-- Name: refresh_tokens_token_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX refresh_tokens_token_idx ON public.refresh_tokens USING btree (token);


--
-- Name: refresh_tokens_token_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX refresh_tokens_token_key ON public.refresh_tokens USING btree (token);


--
-- Name: refresh_tokens_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX refresh_tokens_user_id_idx ON public.refresh_tokens USING btree (user_id);


--
-- Name: resources_lesson_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX resources_lesson_id_idx ON public.resources USING btree (lesson_id);


--
-- Name: submissions_assignment_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX submissions_assignment_id_idx ON public.submissions USING btree (assignment_id);


--
-- Name: submissions_assignment_id_student_id_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX submissions_assignment_id_student_id_key ON public.submissions USING btree (assignment_id, student_id);


--
-- Name: submissions_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX submissions_status_idx ON public.submissions USING btree (status);


--
-- Name: submissions_student_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX submissions_student_id_idx ON public.submissions USING btree (student_id);


--
-- Name: users_email_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX users_email_idx ON public.users USING btree (email);


--
-- Name: users_email_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email);


--
-- Name: users_role_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX users_role_idx ON public.users USING btree (role);


--
-- Name: announcements announcements_batch_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.announcements
    ADD CONSTRAINT announcements_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.batches(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: announcements announcements_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.announcements
    ADD CONSTRAINT announcements_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: assignments assignments_lesson_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assignments
    ADD CONSTRAINT assignments_lesson_id_fkey FOREIGN KEY (lesson_id) REFERENCES public.lessons(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: attendance attendance_batch_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attendance
    ADD CONSTRAINT attendance_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.batches(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: attendance attendance_enrollment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attendance
    ADD CONSTRAINT attendance_enrollment_id_fkey FOREIGN KEY (enrollment_id) REFERENCES public.enrollments(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: batches batches_bootcamp_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.batches
    ADD CONSTRAINT batches_bootcamp_id_fkey FOREIGN KEY (bootcamp_id) REFERENCES public.bootcamps(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: bootcamps bootcamps_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bootcamps
    ADD CONSTRAINT bootcamps_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: certificates certificates_enrollment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.certificates
    ADD CONSTRAINT certificates_enrollment_id_fkey FOREIGN KEY (enrollment_id) REFERENCES public.enrollments(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: certificates certificates_issued_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.certificates
    ADD CONSTRAINT certificates_issued_by_fkey FOREIGN KEY (issued_by) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: enrollments enrollments_batch_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enrollments
    ADD CONSTRAINT enrollments_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.batches(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: enrollments enrollments_student_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enrollments
    ADD CONSTRAINT enrollments_student_id_fkey FOREIGN KEY (student_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: grades grades_graded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.grades
    ADD CONSTRAINT grades_graded_by_fkey FOREIGN KEY (graded_by) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: grades grades_submission_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.grades
    ADD CONSTRAINT grades_submission_id_fkey FOREIGN KEY (submission_id) REFERENCES public.submissions(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: instructor_batches instructor_batches_batch_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.instructor_batches
    ADD CONSTRAINT instructor_batches_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.batches(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: instructor_batches instructor_batches_instructor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.instructor_batches
    ADD CONSTRAINT instructor_batches_instructor_id_fkey FOREIGN KEY (instructor_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: lead_logs lead_logs_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.lead_logs
    ADD CONSTRAINT lead_logs_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: lead_logs lead_logs_lead_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.lead_logs
    ADD CONSTRAINT lead_logs_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES public.leads(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: leads leads_assigned_to_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.leads
    ADD CONSTRAINT leads_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: leads leads_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.leads
    ADD CONSTRAINT leads_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: lessons lessons_module_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.lessons
    ADD CONSTRAINT lessons_module_id_fkey FOREIGN KEY (module_id) REFERENCES public.modules(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: mentor_batches mentor_batches_batch_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mentor_batches
    ADD CONSTRAINT mentor_batches_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES public.batches(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: mentor_batches mentor_batches_mentor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mentor_batches
    ADD CONSTRAINT mentor_batches_mentor_id_fkey FOREIGN KEY (mentor_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: modules modules_bootcamp_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.modules
    ADD CONSTRAINT modules_bootcamp_id_fkey FOREIGN KEY (bootcamp_id) REFERENCES public.bootcamps(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: notifications notifications_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: payments payments_enrollment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_enrollment_id_fkey FOREIGN KEY (enrollment_id) REFERENCES public.enrollments(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: refresh_tokens refresh_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: resources resources_lesson_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resources
    ADD CONSTRAINT resources_lesson_id_fkey FOREIGN KEY (lesson_id) REFERENCES public.lessons(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: submissions submissions_assignment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submissions
    ADD CONSTRAINT submissions_assignment_id_fkey FOREIGN KEY (assignment_id) REFERENCES public.assignments(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: submissions submissions_student_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submissions
    ADD CONSTRAINT submissions_student_id_fkey FOREIGN KEY (student_id) REFERENCES public.users(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- PostgreSQL database dump complete
--


