-- A new Momentum file, made by the migration runner of commit 08a6a61 (before the shared runner): an upgrade must apply nothing and record nothing new.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
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
CREATE TABLE users (
          user_id INTEGER PRIMARY KEY AUTOINCREMENT,
          email TEXT UNIQUE NOT NULL,
          password_hash TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('restaurant', 'admin')),
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP
        );
CREATE TABLE restaurants (
          restaurant_id INTEGER PRIMARY KEY AUTOINCREMENT,
          user_id INTEGER NOT NULL,
          name TEXT NOT NULL,
          address TEXT,
          phone TEXT,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          FOREIGN KEY (user_id) REFERENCES users (user_id)
        );
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
CREATE TABLE checklist_categories (
          category_id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          description TEXT,
          icon TEXT,
          type TEXT NOT NULL CHECK (type IN ('foundational', 'ongoing')),
          order_in_list INTEGER NOT NULL,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP
        );
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
CREATE TABLE sessions (
          session_id TEXT PRIMARY KEY,
          user_id INTEGER NOT NULL,
          impersonating_restaurant_id INTEGER,
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          expires_at DATETIME NOT NULL,
          FOREIGN KEY (user_id) REFERENCES users (user_id),
          FOREIGN KEY (impersonating_restaurant_id) REFERENCES restaurants (restaurant_id)
        );
CREATE TABLE impersonation_log (
          event_id INTEGER PRIMARY KEY AUTOINCREMENT,
          admin_user_id INTEGER NOT NULL,
          admin_email TEXT NOT NULL,
          restaurant_id INTEGER NOT NULL,
          session_id TEXT NOT NULL,
          action TEXT NOT NULL CHECK (action IN ('start', 'end')),
          at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
DELETE FROM sqlite_sequence;
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
