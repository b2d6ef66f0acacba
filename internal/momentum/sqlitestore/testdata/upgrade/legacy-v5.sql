-- The legacy Node file (shared/fixtures/legacy-momentum.sqlite) opened in place, made by the migration runner of commit 08a6a61 (before the shared runner): an upgrade must apply nothing and record nothing new.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE users (
          user_id INTEGER PRIMARY KEY AUTOINCREMENT,
          email TEXT UNIQUE NOT NULL,
          password_hash TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('restaurant', 'admin')),
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP
        );
INSERT INTO users VALUES(1,'admin@momentum.com','$2a$10$uCyC8MsoLNieXOq9FfLvDuL7DHZNDes.r8XSvPmA4xyWx/rw7Apzu','admin','2025-06-27 17:34:26');
INSERT INTO users VALUES(2,'test@restaurant.com','$2a$10$7zFPsuL/lo8tjpuOVIkKOu3DlAt9zga8val39Ke4o1n7JHNuLUT42','restaurant','2025-06-27 17:44:13');
CREATE TABLE restaurants (
          restaurant_id INTEGER PRIMARY KEY AUTOINCREMENT,
          user_id INTEGER NOT NULL,
          name TEXT NOT NULL,
          address TEXT,
          phone TEXT,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (user_id) REFERENCES users (user_id)
        );
INSERT INTO restaurants VALUES(1,2,'Test Pizzeria','123 Main St','555-0123','2025-06-27 17:44:13');
CREATE TABLE campaigns (
          campaign_id INTEGER PRIMARY KEY AUTOINCREMENT,
          restaurant_id INTEGER NOT NULL,
          campaign_type TEXT NOT NULL CHECK (campaign_type IN ('ad', 'sms')),
          status TEXT NOT NULL CHECK (status IN ('active', 'draft', 'completed', 'paused')),
          name TEXT NOT NULL,
          details TEXT,
          budget DECIMAL(10,2),
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, external_id TEXT,
          FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id)
        );
CREATE TABLE checklist_status (
          status_id INTEGER PRIMARY KEY AUTOINCREMENT,
          restaurant_id INTEGER NOT NULL,
          checklist_item_name TEXT NOT NULL,
          is_complete BOOLEAN DEFAULT FALSE,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id)
        );
INSERT INTO checklist_status VALUES(1,1,'Complete your Google Business Profile setup',1,'2025-06-27 17:44:13','2025-06-27 17:49:32');
INSERT INTO checklist_status VALUES(2,1,'Upload high-quality photos of your dishes',1,'2025-06-27 17:44:13','2025-06-27 17:49:37');
INSERT INTO checklist_status VALUES(3,1,'Set up your social media accounts',0,'2025-06-27 17:44:13','2025-06-27 17:44:13');
INSERT INTO checklist_status VALUES(4,1,'Create your first customer list',0,'2025-06-27 17:44:13','2025-06-27 17:44:13');
CREATE TABLE checklist_categories (
          category_id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          type TEXT NOT NULL CHECK (type IN ('foundational', 'ongoing')),
          order_in_list INTEGER NOT NULL,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP
        , description TEXT, icon TEXT);
INSERT INTO checklist_categories VALUES(73,'A1. Google Business Profile (GBP)','foundational',1,'2025-06-26 01:24:53','Claim, verify, and optimize your Google Business Profile for maximum local visibility','🏢');
INSERT INTO checklist_categories VALUES(74,'A2. Restaurant Website','foundational',2,'2025-06-26 01:24:53','Your digital hub - mobile-first, fast, and conversion-optimized','🌐');
INSERT INTO checklist_categories VALUES(75,'A3. Social Media Presence','foundational',3,'2025-06-26 01:24:53','Establish and optimize profiles across key social platforms','📱');
INSERT INTO checklist_categories VALUES(76,'A4. Online Ordering System (Innowi)','foundational',4,'2025-06-26 01:24:53','Complete menu setup and operational configuration for seamless ordering','🛒');
INSERT INTO checklist_categories VALUES(77,'A5. Email Marketing Platform','foundational',5,'2025-06-26 01:24:53','Set up email marketing infrastructure for customer communication','📧');
INSERT INTO checklist_categories VALUES(78,'A6. Loyalty & Rewards Program (Innowi)','foundational',6,'2025-06-26 01:24:53','Design and implement customer loyalty program to drive repeat business','🎁');
INSERT INTO checklist_categories VALUES(79,'A7. Local Directory Listings & Citations','foundational',7,'2025-06-26 01:24:53','Ensure consistent NAP across all major directories and review sites','📍');
INSERT INTO checklist_categories VALUES(80,'B1. Content Creation & Engagement','ongoing',8,'2025-06-26 01:24:53','Regular content creation and customer engagement across all channels','✨');
INSERT INTO checklist_categories VALUES(81,'B2. Reputation Management','ongoing',9,'2025-06-26 01:24:53','Monitor and respond to reviews and customer feedback across all platforms','⭐');
INSERT INTO checklist_categories VALUES(82,'B3. Paid Advertising','ongoing',10,'2025-06-26 01:24:53','Strategic paid advertising campaigns across social media and search platforms','🎯');
INSERT INTO checklist_categories VALUES(83,'B4. Analytics & Reporting','ongoing',11,'2025-06-26 01:24:53','Monthly analysis and reporting across all marketing channels','📊');
INSERT INTO checklist_categories VALUES(84,'B5. Technical & Listing Maintenance','ongoing',12,'2025-06-26 01:24:53','Quarterly maintenance of technical systems and directory listings','🔧');
CREATE TABLE checklist_items (
          item_id INTEGER PRIMARY KEY AUTOINCREMENT,
          category_id INTEGER NOT NULL,
          parent_item_id INTEGER,
          title TEXT NOT NULL,
          description TEXT,
          guidance_link TEXT,
          order_in_category INTEGER NOT NULL,
          is_critical BOOLEAN DEFAULT FALSE,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (category_id) REFERENCES checklist_categories (category_id),
          FOREIGN KEY (parent_item_id) REFERENCES checklist_items (item_id)
        );
INSERT INTO checklist_items VALUES(462,73,NULL,'Claim & Verify Listing','Ensure sole ownership or appropriate manager access to your Google Business Profile','https://www.google.com/business/',1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(463,73,NULL,'Core Profile Information (100% Accuracy & Completeness)','Complete all essential profile fields: Name, Category, Address, Hours, Phone, Website, Menu Link, Order Links','https://support.google.com/business/answer/3038177',2,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(464,73,NULL,'Attributes & Highlights Configured','Set up service options, health & safety, accessibility, offerings, dining options, atmosphere, and identity attributes','https://support.google.com/business/answer/6208386',3,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(465,73,NULL,'Business Description Written & Optimized','Write compelling 750-character description highlighting unique selling propositions','https://support.google.com/business/answer/3038177',4,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(466,73,NULL,'Photos & Videos Uploaded (Logo, Cover, Interior, Exterior, Food)','Upload high-quality photos and videos showcasing your restaurant experience','https://support.google.com/business/answer/6123536',5,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(467,73,NULL,'Products Section Utilized (if applicable)','Add key products with photos, descriptions, and prices','https://support.google.com/business/answer/9681433',6,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(468,73,NULL,'Services Section Detailed','Detail specific services offered beyond general categories','https://support.google.com/business/answer/9681433',7,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(469,73,NULL,'Questions & Answers (Q&A) Seeded','Proactively add common questions and answers; upvote helpful existing Q&As','https://support.google.com/business/answer/4596773',8,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(470,73,NULL,'Messaging Feature Enabled & Configured','Enable messaging with welcome message and FAQ automation','https://support.google.com/business/answer/9109320',9,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(471,73,NULL,'Initial Google Posts Strategy Implemented','Create initial ''What''s New'' or welcome post','https://support.google.com/business/answer/7342169',10,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(472,73,NULL,'Review Management Setup Complete','Set up notifications for new reviews and response strategy','https://support.google.com/business/answer/3474050',11,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(473,74,NULL,'Domain & Hosting Secured','Secure domain name registered and reliable, fast web hosting',NULL,1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(474,74,NULL,'Mobile-First & Responsive Design Implemented','Flawless performance on all devices with intuitive navigation',NULL,2,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(475,74,NULL,'Essential Content Present (Homepage, NAP, Menu, About, Contact)','All essential pages with compelling content and clear calls-to-action',NULL,3,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(476,74,NULL,'Online Ordering Integration Prominent','Clearly visible links/buttons to Innowi ordering system',NULL,4,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(477,74,NULL,'Technical SEO Foundation Laid (SSL, Sitemap, Titles, Metas, Schema)','Complete technical SEO setup including Restaurant, Menu, and LocalBusiness schema','https://developers.google.com/search/docs/fundamentals/seo-starter-guide',5,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(478,74,NULL,'Analytics & Tracking Installed (GA4, Search Console, Pixel)','Google Analytics 4, Search Console, and Meta Pixel installed and configured','https://analytics.google.com/',6,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(479,74,NULL,'Legal & Compliance Basics Covered (Privacy Policy, Cookie Consent)','Required legal pages and GDPR/CCPA compliance measures',NULL,7,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(480,74,NULL,'Fast Loading Speed Achieved','Optimized images, caching, good server response (test with PageSpeed Insights)','https://pagespeed.web.dev/',8,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(481,74,NULL,'Accessibility (WCAG AA Basics) Considered','Alt text for images, keyboard navigation, sufficient color contrast, ARIA labels','https://www.w3.org/WAI/WCAG21/quickref/',9,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(482,75,NULL,'Facebook Business Page Optimized','Complete About section, NAP, website, hours, story, CTA button, cover/profile photos','https://www.facebook.com/business/pages/set-up',1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(483,75,NULL,'Instagram Business Profile Optimized','Convert to Business account with optimized bio, contact options, and action buttons','https://business.instagram.com/getting-started',2,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(484,75,NULL,'TikTok Profile Setup (if relevant)','If relevant to target audience, set up with optimized bio and branded profile','https://www.tiktok.com/business/',3,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(485,75,NULL,'X (Twitter) Profile Setup (if relevant)','If relevant, optimized bio, header, profile picture, website link','https://business.twitter.com/',4,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(486,75,NULL,'LinkedIn Company Page Setup (if relevant)','If focus on B2B/Catering/Corporate, fully completed company page','https://business.linkedin.com/marketing-solutions/company-pages',5,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(487,75,NULL,'Consistent Branding Applied Across Platforms','Ensure consistent logo, colors, messaging across all social platforms',NULL,6,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(488,76,NULL,'Full Menu Accurately Configured (Pricing, Descriptions, Modifiers, Photos)','Complete menu with current pricing, clear descriptions, modifiers, and high-quality photos',NULL,1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(489,76,NULL,'Operational Setup Tested (Payments, Notifications, Prep Times, Delivery/Pickup)','Payment processing, notifications, prep times, and delivery/pickup parameters tested',NULL,2,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(490,76,NULL,'Promotions & Upselling Features Configured (if available)','Setup for promotional codes and upselling features tested and working',NULL,3,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(491,77,NULL,'Account Setup & Sending Domain Authenticated (DKIM, SPF)','Email marketing platform account set up with domain authentication for better deliverability',NULL,1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(492,77,NULL,'Main Customer List Created & Website Opt-in Forms Deployed','Primary customer email list established with newsletter signup forms on website',NULL,2,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(493,77,NULL,'Branded Master Email Template & Welcome Email Created','Professional email template with logo, brand colors, and welcome email sequence',NULL,3,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(494,78,NULL,'Program Design & Reward Structure Defined','Points per dollar, specific rewards, tiers, and terms clearly defined',NULL,1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(495,78,NULL,'Sign-up Bonus & Promotional Materials Ready','Attractive incentive for customers to join and in-store promotional materials prepared',NULL,2,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(496,78,NULL,'Staff Trained on Program Promotion','Team knows how to explain and enroll customers in the loyalty program',NULL,3,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(497,79,NULL,'Yelp Profile Claimed & Optimized','Complete Yelp profile with NAP, hours, photos, menu link, attributes','https://biz.yelp.com/',1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(498,79,NULL,'TripAdvisor Profile Claimed & Optimized','Complete TripAdvisor profile optimization','https://www.tripadvisor.com/Owners',2,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(499,79,NULL,'Apple Maps Listing Claimed/Corrected','Apple Business Connect listing claimed and accurate','https://mapsconnect.apple.com/',3,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(500,79,NULL,'Bing Places for Business Claimed & Optimized','Bing Places listing optimized','https://www.bingplaces.com/',4,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(501,79,NULL,'Key Niche Directories Updated','Local Chamber of Commerce, city tourism sites, food-specific directories',NULL,5,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(502,79,NULL,'NAP Consistency Audit Performed (Top 20+ Citations)','Comprehensive audit of Name, Address, Phone consistency across citations',NULL,6,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(503,80,NULL,'Weekly: Plan Social Media Content Calendar','Strategic content planning for consistent messaging across platforms',NULL,1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(504,80,NULL,'Daily/Weekly: Post to Social Media Platforms (Facebook, Instagram, etc.)','High-quality food photos, behind-the-scenes, UGC, staff spotlights, offers, events',NULL,2,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(505,80,NULL,'Daily/Weekly: Post Instagram/Facebook Stories','Instagram/Facebook Stories with informal content, polls, Q&A',NULL,3,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(506,80,NULL,'Daily: Engage with Social Media Comments & DMs','Authentic, timely responses to customer interactions',NULL,4,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(507,80,NULL,'Weekly: Create Google Business Profile Posts (What''s New, Offers, Events)','Regular Google Posts with call-to-action buttons',NULL,5,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(508,80,NULL,'Monthly/Bi-Weekly: Send Email Newsletter/Promotions','Updates, specials, events, new menu items via email',NULL,6,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(509,80,NULL,'As Needed: Update Website Menu/Specials/Events','Keep website current with latest offerings and events',NULL,7,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(510,81,NULL,'Daily: Monitor Review Sites (Google, Yelp, TripAdvisor, Facebook)','Check all major review platforms for new reviews daily',NULL,1,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(511,81,NULL,'Daily/Promptly: Respond to ALL New Reviews','Professional, personal responses to both positive and negative reviews',NULL,2,1,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(512,81,NULL,'Weekly: Manage GBP Q&A','Answer new Google Business Profile questions promptly',NULL,3,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(513,82,NULL,'Weekly/Monthly: Review & Optimize Active Ad Campaigns (Social, Search)','Monitor and optimize Facebook/Instagram and Google Ads campaigns',NULL,1,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(514,82,NULL,'As Needed: Launch New Ad Campaigns for Promotions/Events','Create targeted campaigns for special promotions and events',NULL,2,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(515,83,NULL,'Monthly: Review Website Analytics (GA4 & Search Console)','Track traffic, sources, user behavior, bounce rate, goal completions',NULL,1,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(516,83,NULL,'Monthly: Review GBP Insights','Track search types, actions taken, search queries, photo views',NULL,2,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(517,83,NULL,'Monthly: Review Social Media Analytics','Track reach, impressions, engagement rate, follower growth, top content',NULL,3,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(518,83,NULL,'Monthly: Review Email Marketing Analytics','Track open rates, click-through rates, unsubscribe rates, conversion rates',NULL,4,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(519,83,NULL,'Monthly: Synthesize All Data & Adjust Marketing Strategy','Use insights to refine marketing efforts and strategy',NULL,5,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(520,84,NULL,'Quarterly: Check Website for Broken Links & Test Forms','Quarterly audit of website links and functionality',NULL,1,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(521,84,NULL,'As Needed: Update Website Software/Plugins','Keep WordPress/CMS software updated for security',NULL,2,0,'2025-06-26 01:24:53');
INSERT INTO checklist_items VALUES(522,84,NULL,'Quarterly: Verify NAP Consistency Across Key Listings','Quarterly audit of business information consistency',NULL,3,0,'2025-06-26 01:24:53');
CREATE TABLE restaurant_checklist_status (
          status_id INTEGER PRIMARY KEY AUTOINCREMENT,
          restaurant_id INTEGER NOT NULL,
          item_id INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed', 'not_applicable')),
          notes TEXT,
          last_updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (restaurant_id) REFERENCES restaurants (restaurant_id),
          FOREIGN KEY (item_id) REFERENCES checklist_items (item_id),
          UNIQUE(restaurant_id, item_id)
        );
INSERT INTO restaurant_checklist_status VALUES(11,1,463,'completed',NULL,'2025-06-26 01:47:53');
INSERT INTO restaurant_checklist_status VALUES(12,1,464,'completed',NULL,'2025-06-26 01:47:55');
INSERT INTO restaurant_checklist_status VALUES(13,1,467,'completed',NULL,'2025-06-26 01:47:57');
INSERT INTO restaurant_checklist_status VALUES(14,1,465,'completed',NULL,'2025-06-26 01:57:25');
INSERT INTO restaurant_checklist_status VALUES(15,1,466,'completed',NULL,'2025-06-26 01:57:29');
INSERT INTO restaurant_checklist_status VALUES(17,1,472,'completed',NULL,'2025-06-26 02:01:19');
INSERT INTO restaurant_checklist_status VALUES(20,1,473,'completed',NULL,'2025-06-26 17:46:00');
INSERT INTO restaurant_checklist_status VALUES(26,1,462,'completed',NULL,'2025-06-26 20:53:15');
INSERT INTO restaurant_checklist_status VALUES(27,1,471,'completed',NULL,'2025-06-26 20:53:18');
INSERT INTO restaurant_checklist_status VALUES(28,1,468,'completed',NULL,'2025-06-26 21:01:29');
INSERT INTO restaurant_checklist_status VALUES(29,1,474,'completed',NULL,'2025-06-26 21:01:34');
INSERT INTO restaurant_checklist_status VALUES(30,1,470,'completed',NULL,'2025-06-26 21:02:46');
INSERT INTO restaurant_checklist_status VALUES(31,1,469,'completed',NULL,'2025-06-26 21:02:47');
INSERT INTO restaurant_checklist_status VALUES(32,1,475,'completed',NULL,'2025-06-26 21:02:50');
INSERT INTO restaurant_checklist_status VALUES(33,1,476,'completed',NULL,'2025-06-26 21:02:50');
INSERT INTO restaurant_checklist_status VALUES(34,1,477,'completed',NULL,'2025-06-26 21:02:53');
INSERT INTO restaurant_checklist_status VALUES(35,1,478,'completed',NULL,'2025-06-26 21:02:54');
INSERT INTO restaurant_checklist_status VALUES(36,1,479,'completed',NULL,'2025-06-26 21:02:57');
INSERT INTO restaurant_checklist_status VALUES(37,1,480,'completed',NULL,'2025-06-26 21:02:59');
INSERT INTO restaurant_checklist_status VALUES(38,1,481,'completed',NULL,'2025-06-26 21:03:00');
INSERT INTO restaurant_checklist_status VALUES(39,1,485,'completed',NULL,'2025-06-26 21:12:36');
INSERT INTO restaurant_checklist_status VALUES(40,1,484,'completed',NULL,'2025-06-26 21:12:38');
INSERT INTO restaurant_checklist_status VALUES(41,1,486,'completed',NULL,'2025-06-26 21:12:39');
INSERT INTO restaurant_checklist_status VALUES(42,1,488,'completed',NULL,'2025-06-26 21:12:43');
INSERT INTO restaurant_checklist_status VALUES(43,1,496,'completed',NULL,'2025-06-26 21:12:45');
INSERT INTO restaurant_checklist_status VALUES(44,1,495,'completed',NULL,'2025-06-26 21:12:45');
INSERT INTO restaurant_checklist_status VALUES(45,1,497,'completed',NULL,'2025-06-26 21:12:46');
INSERT INTO restaurant_checklist_status VALUES(46,1,498,'completed',NULL,'2025-06-26 21:12:47');
INSERT INTO restaurant_checklist_status VALUES(47,1,520,'completed',NULL,'2025-06-26 21:13:00');
INSERT INTO restaurant_checklist_status VALUES(48,1,521,'completed',NULL,'2025-06-26 21:13:01');
INSERT INTO restaurant_checklist_status VALUES(49,1,513,'completed',NULL,'2025-06-26 21:13:04');
INSERT INTO restaurant_checklist_status VALUES(50,1,510,'completed',NULL,'2025-06-26 21:13:07');
INSERT INTO restaurant_checklist_status VALUES(51,1,511,'completed',NULL,'2025-06-26 21:13:08');
INSERT INTO restaurant_checklist_status VALUES(52,1,515,'completed',NULL,'2025-06-27 15:54:19');
INSERT INTO restaurant_checklist_status VALUES(53,1,516,'completed',NULL,'2025-06-27 15:54:22');
INSERT INTO restaurant_checklist_status VALUES(54,1,494,'completed',NULL,'2025-06-27 15:54:39');
INSERT INTO restaurant_checklist_status VALUES(55,1,522,'completed',NULL,'2025-06-27 16:10:04');
CREATE TABLE sessions (
          session_id TEXT PRIMARY KEY,
          user_id INTEGER NOT NULL,
          impersonating_restaurant_id INTEGER,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          expires_at DATETIME NOT NULL,
          FOREIGN KEY (user_id) REFERENCES users (user_id),
          FOREIGN KEY (impersonating_restaurant_id) REFERENCES restaurants (restaurant_id)
        );
CREATE TABLE schema_migrations (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          note TEXT NOT NULL DEFAULT '',
          applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
INSERT INTO schema_migrations VALUES(1,'legacy schema','','2026-12-02 06:52:54');
INSERT INTO schema_migrations VALUES(2,'campaigns.external_id','','2026-12-02 06:52:54');
INSERT INTO schema_migrations VALUES(3,'impersonation_log table','','2026-12-02 06:52:54');
INSERT INTO schema_migrations VALUES(4,'indexes for hot queries','','2026-12-02 06:52:54');
INSERT INTO schema_migrations VALUES(5,'normalized email index','unique','2026-12-02 06:52:54');
CREATE TABLE impersonation_log (
          event_id INTEGER PRIMARY KEY AUTOINCREMENT,
          admin_user_id INTEGER NOT NULL,
          admin_email TEXT NOT NULL,
          restaurant_id INTEGER NOT NULL,
          session_id TEXT NOT NULL,
          action TEXT NOT NULL CHECK (action IN ('start', 'end')),
          at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
ANALYZE sqlite_schema;
INSERT INTO sqlite_stat1 VALUES('checklist_categories','checklist_categories_order','12 1 1');
INSERT INTO sqlite_stat1 VALUES('checklist_status','checklist_status_complete','4 2 2');
INSERT INTO sqlite_stat1 VALUES('checklist_status','checklist_status_pending','4 4 2 2 1');
INSERT INTO sqlite_stat1 VALUES('checklist_items','checklist_items_category','61 6 1 1');
INSERT INTO sqlite_stat1 VALUES('restaurant_checklist_status','sqlite_autoindex_restaurant_checklist_status_1','37 37 1');
INSERT INTO sqlite_stat1 VALUES('users','users_email_unusual','0 0');
INSERT INTO sqlite_stat1 VALUES('users','users_email_normalized','2 1');
INSERT INTO sqlite_stat1 VALUES('users','users_role','2 1');
INSERT INTO sqlite_stat1 VALUES('users','sqlite_autoindex_users_1','2 1');
INSERT INTO sqlite_stat1 VALUES('restaurants','restaurants_created','1 1 1');
INSERT INTO sqlite_stat1 VALUES('restaurants','restaurants_user','1 1 1');
ANALYZE sqlite_schema;
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('checklist_categories',84);
INSERT INTO sqlite_sequence VALUES('checklist_items',522);
INSERT INTO sqlite_sequence VALUES('restaurant_checklist_status',55);
INSERT INTO sqlite_sequence VALUES('users',2);
INSERT INTO sqlite_sequence VALUES('restaurants',1);
INSERT INTO sqlite_sequence VALUES('checklist_status',4);
CREATE INDEX impersonation_log_at ON impersonation_log (at, event_id);
CREATE INDEX restaurants_user ON restaurants (user_id, restaurant_id);
CREATE INDEX restaurants_created ON restaurants (created_at, restaurant_id);
CREATE INDEX checklist_status_pending ON checklist_status (restaurant_id, is_complete, created_at, status_id);
CREATE INDEX checklist_status_complete ON checklist_status (is_complete, restaurant_id);
CREATE INDEX campaigns_restaurant_created ON campaigns (restaurant_id, created_at, campaign_id);
CREATE INDEX campaigns_restaurant_status_created ON campaigns (restaurant_id, status, created_at, campaign_id);
CREATE INDEX campaigns_created ON campaigns (created_at);
CREATE INDEX campaigns_external ON campaigns (restaurant_id, external_id);
CREATE INDEX checklist_items_category ON checklist_items (category_id, order_in_category, item_id);
CREATE INDEX checklist_categories_order ON checklist_categories (order_in_list, category_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX users_role ON users (role);
CREATE UNIQUE INDEX users_email_normalized ON users (lower(trim(email)));
CREATE INDEX users_email_unusual ON users (user_id) WHERE email GLOB '*[^ -~]*';
COMMIT;
