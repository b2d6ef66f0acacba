package momentum

// Catalogue is the marketing checklist: 12 categories and 61 items, identical to the legacy seed script
// (scripts/populateChecklist.js) and to the committed legacy database.
func Catalogue() []SeedCategory {
	link := func(s string) *string { return &s }
	_ = link
	return []SeedCategory{
		{Name: "A1. Google Business Profile (GBP)", Description: "Claim, verify, and optimize your Google Business Profile for maximum local visibility", Icon: "🏢", Type: "foundational", OrderInList: 1, Items: []SeedItem{
			{Title: "Claim & Verify Listing", Description: "Ensure sole ownership or appropriate manager access to your Google Business Profile", GuidanceLink: link("https://www.google.com/business/"), OrderInCategory: 1, IsCritical: true},
			{Title: "Core Profile Information (100% Accuracy & Completeness)", Description: "Complete all essential profile fields: Name, Category, Address, Hours, Phone, Website, Menu Link, Order Links", GuidanceLink: link("https://support.google.com/business/answer/3038177"), OrderInCategory: 2, IsCritical: true},
			{Title: "Attributes & Highlights Configured", Description: "Set up service options, health & safety, accessibility, offerings, dining options, atmosphere, and identity attributes", GuidanceLink: link("https://support.google.com/business/answer/6208386"), OrderInCategory: 3, IsCritical: false},
			{Title: "Business Description Written & Optimized", Description: "Write compelling 750-character description highlighting unique selling propositions", GuidanceLink: link("https://support.google.com/business/answer/3038177"), OrderInCategory: 4, IsCritical: true},
			{Title: "Photos & Videos Uploaded (Logo, Cover, Interior, Exterior, Food)", Description: "Upload high-quality photos and videos showcasing your restaurant experience", GuidanceLink: link("https://support.google.com/business/answer/6123536"), OrderInCategory: 5, IsCritical: true},
			{Title: "Products Section Utilized (if applicable)", Description: "Add key products with photos, descriptions, and prices", GuidanceLink: link("https://support.google.com/business/answer/9681433"), OrderInCategory: 6, IsCritical: false},
			{Title: "Services Section Detailed", Description: "Detail specific services offered beyond general categories", GuidanceLink: link("https://support.google.com/business/answer/9681433"), OrderInCategory: 7, IsCritical: false},
			{Title: "Questions & Answers (Q&A) Seeded", Description: "Proactively add common questions and answers; upvote helpful existing Q&As", GuidanceLink: link("https://support.google.com/business/answer/4596773"), OrderInCategory: 8, IsCritical: false},
			{Title: "Messaging Feature Enabled & Configured", Description: "Enable messaging with welcome message and FAQ automation", GuidanceLink: link("https://support.google.com/business/answer/9109320"), OrderInCategory: 9, IsCritical: false},
			{Title: "Initial Google Posts Strategy Implemented", Description: "Create initial 'What's New' or welcome post", GuidanceLink: link("https://support.google.com/business/answer/7342169"), OrderInCategory: 10, IsCritical: false},
			{Title: "Review Management Setup Complete", Description: "Set up notifications for new reviews and response strategy", GuidanceLink: link("https://support.google.com/business/answer/3474050"), OrderInCategory: 11, IsCritical: true},
		}},
		{Name: "A2. Restaurant Website", Description: "Your digital hub - mobile-first, fast, and conversion-optimized", Icon: "🌐", Type: "foundational", OrderInList: 2, Items: []SeedItem{
			{Title: "Domain & Hosting Secured", Description: "Secure domain name registered and reliable, fast web hosting", GuidanceLink: nil, OrderInCategory: 1, IsCritical: true},
			{Title: "Mobile-First & Responsive Design Implemented", Description: "Flawless performance on all devices with intuitive navigation", GuidanceLink: nil, OrderInCategory: 2, IsCritical: true},
			{Title: "Essential Content Present (Homepage, NAP, Menu, About, Contact)", Description: "All essential pages with compelling content and clear calls-to-action", GuidanceLink: nil, OrderInCategory: 3, IsCritical: true},
			{Title: "Online Ordering Integration Prominent", Description: "Clearly visible links/buttons to Innowi ordering system", GuidanceLink: nil, OrderInCategory: 4, IsCritical: true},
			{Title: "Technical SEO Foundation Laid (SSL, Sitemap, Titles, Metas, Schema)", Description: "Complete technical SEO setup including Restaurant, Menu, and LocalBusiness schema", GuidanceLink: link("https://developers.google.com/search/docs/fundamentals/seo-starter-guide"), OrderInCategory: 5, IsCritical: true},
			{Title: "Analytics & Tracking Installed (GA4, Search Console, Pixel)", Description: "Google Analytics 4, Search Console, and Meta Pixel installed and configured", GuidanceLink: link("https://analytics.google.com/"), OrderInCategory: 6, IsCritical: true},
			{Title: "Legal & Compliance Basics Covered (Privacy Policy, Cookie Consent)", Description: "Required legal pages and GDPR/CCPA compliance measures", GuidanceLink: nil, OrderInCategory: 7, IsCritical: true},
			{Title: "Fast Loading Speed Achieved", Description: "Optimized images, caching, good server response (test with PageSpeed Insights)", GuidanceLink: link("https://pagespeed.web.dev/"), OrderInCategory: 8, IsCritical: true},
			{Title: "Accessibility (WCAG AA Basics) Considered", Description: "Alt text for images, keyboard navigation, sufficient color contrast, ARIA labels", GuidanceLink: link("https://www.w3.org/WAI/WCAG21/quickref/"), OrderInCategory: 9, IsCritical: false},
		}},
		{Name: "A3. Social Media Presence", Description: "Establish and optimize profiles across key social platforms", Icon: "📱", Type: "foundational", OrderInList: 3, Items: []SeedItem{
			{Title: "Facebook Business Page Optimized", Description: "Complete About section, NAP, website, hours, story, CTA button, cover/profile photos", GuidanceLink: link("https://www.facebook.com/business/pages/set-up"), OrderInCategory: 1, IsCritical: true},
			{Title: "Instagram Business Profile Optimized", Description: "Convert to Business account with optimized bio, contact options, and action buttons", GuidanceLink: link("https://business.instagram.com/getting-started"), OrderInCategory: 2, IsCritical: true},
			{Title: "TikTok Profile Setup (if relevant)", Description: "If relevant to target audience, set up with optimized bio and branded profile", GuidanceLink: link("https://www.tiktok.com/business/"), OrderInCategory: 3, IsCritical: false},
			{Title: "X (Twitter) Profile Setup (if relevant)", Description: "If relevant, optimized bio, header, profile picture, website link", GuidanceLink: link("https://business.twitter.com/"), OrderInCategory: 4, IsCritical: false},
			{Title: "LinkedIn Company Page Setup (if relevant)", Description: "If focus on B2B/Catering/Corporate, fully completed company page", GuidanceLink: link("https://business.linkedin.com/marketing-solutions/company-pages"), OrderInCategory: 5, IsCritical: false},
			{Title: "Consistent Branding Applied Across Platforms", Description: "Ensure consistent logo, colors, messaging across all social platforms", GuidanceLink: nil, OrderInCategory: 6, IsCritical: true},
		}},
		{Name: "A4. Online Ordering System (Innowi)", Description: "Complete menu setup and operational configuration for seamless ordering", Icon: "🛒", Type: "foundational", OrderInList: 4, Items: []SeedItem{
			{Title: "Full Menu Accurately Configured (Pricing, Descriptions, Modifiers, Photos)", Description: "Complete menu with current pricing, clear descriptions, modifiers, and high-quality photos", GuidanceLink: nil, OrderInCategory: 1, IsCritical: true},
			{Title: "Operational Setup Tested (Payments, Notifications, Prep Times, Delivery/Pickup)", Description: "Payment processing, notifications, prep times, and delivery/pickup parameters tested", GuidanceLink: nil, OrderInCategory: 2, IsCritical: true},
			{Title: "Promotions & Upselling Features Configured (if available)", Description: "Setup for promotional codes and upselling features tested and working", GuidanceLink: nil, OrderInCategory: 3, IsCritical: false},
		}},
		{Name: "A5. Email Marketing Platform", Description: "Set up email marketing infrastructure for customer communication", Icon: "📧", Type: "foundational", OrderInList: 5, Items: []SeedItem{
			{Title: "Account Setup & Sending Domain Authenticated (DKIM, SPF)", Description: "Email marketing platform account set up with domain authentication for better deliverability", GuidanceLink: nil, OrderInCategory: 1, IsCritical: true},
			{Title: "Main Customer List Created & Website Opt-in Forms Deployed", Description: "Primary customer email list established with newsletter signup forms on website", GuidanceLink: nil, OrderInCategory: 2, IsCritical: true},
			{Title: "Branded Master Email Template & Welcome Email Created", Description: "Professional email template with logo, brand colors, and welcome email sequence", GuidanceLink: nil, OrderInCategory: 3, IsCritical: true},
		}},
		{Name: "A6. Loyalty & Rewards Program (Innowi)", Description: "Design and implement customer loyalty program to drive repeat business", Icon: "🎁", Type: "foundational", OrderInList: 6, Items: []SeedItem{
			{Title: "Program Design & Reward Structure Defined", Description: "Points per dollar, specific rewards, tiers, and terms clearly defined", GuidanceLink: nil, OrderInCategory: 1, IsCritical: true},
			{Title: "Sign-up Bonus & Promotional Materials Ready", Description: "Attractive incentive for customers to join and in-store promotional materials prepared", GuidanceLink: nil, OrderInCategory: 2, IsCritical: true},
			{Title: "Staff Trained on Program Promotion", Description: "Team knows how to explain and enroll customers in the loyalty program", GuidanceLink: nil, OrderInCategory: 3, IsCritical: true},
		}},
		{Name: "A7. Local Directory Listings & Citations", Description: "Ensure consistent NAP across all major directories and review sites", Icon: "📍", Type: "foundational", OrderInList: 7, Items: []SeedItem{
			{Title: "Yelp Profile Claimed & Optimized", Description: "Complete Yelp profile with NAP, hours, photos, menu link, attributes", GuidanceLink: link("https://biz.yelp.com/"), OrderInCategory: 1, IsCritical: true},
			{Title: "TripAdvisor Profile Claimed & Optimized", Description: "Complete TripAdvisor profile optimization", GuidanceLink: link("https://www.tripadvisor.com/Owners"), OrderInCategory: 2, IsCritical: false},
			{Title: "Apple Maps Listing Claimed/Corrected", Description: "Apple Business Connect listing claimed and accurate", GuidanceLink: link("https://mapsconnect.apple.com/"), OrderInCategory: 3, IsCritical: false},
			{Title: "Bing Places for Business Claimed & Optimized", Description: "Bing Places listing optimized", GuidanceLink: link("https://www.bingplaces.com/"), OrderInCategory: 4, IsCritical: false},
			{Title: "Key Niche Directories Updated", Description: "Local Chamber of Commerce, city tourism sites, food-specific directories", GuidanceLink: nil, OrderInCategory: 5, IsCritical: false},
			{Title: "NAP Consistency Audit Performed (Top 20+ Citations)", Description: "Comprehensive audit of Name, Address, Phone consistency across citations", GuidanceLink: nil, OrderInCategory: 6, IsCritical: true},
		}},
		{Name: "B1. Content Creation & Engagement", Description: "Regular content creation and customer engagement across all channels", Icon: "✨", Type: "ongoing", OrderInList: 8, Items: []SeedItem{
			{Title: "Weekly: Plan Social Media Content Calendar", Description: "Strategic content planning for consistent messaging across platforms", GuidanceLink: nil, OrderInCategory: 1, IsCritical: true},
			{Title: "Daily/Weekly: Post to Social Media Platforms (Facebook, Instagram, etc.)", Description: "High-quality food photos, behind-the-scenes, UGC, staff spotlights, offers, events", GuidanceLink: nil, OrderInCategory: 2, IsCritical: true},
			{Title: "Daily/Weekly: Post Instagram/Facebook Stories", Description: "Instagram/Facebook Stories with informal content, polls, Q&A", GuidanceLink: nil, OrderInCategory: 3, IsCritical: false},
			{Title: "Daily: Engage with Social Media Comments & DMs", Description: "Authentic, timely responses to customer interactions", GuidanceLink: nil, OrderInCategory: 4, IsCritical: true},
			{Title: "Weekly: Create Google Business Profile Posts (What's New, Offers, Events)", Description: "Regular Google Posts with call-to-action buttons", GuidanceLink: nil, OrderInCategory: 5, IsCritical: false},
			{Title: "Monthly/Bi-Weekly: Send Email Newsletter/Promotions", Description: "Updates, specials, events, new menu items via email", GuidanceLink: nil, OrderInCategory: 6, IsCritical: false},
			{Title: "As Needed: Update Website Menu/Specials/Events", Description: "Keep website current with latest offerings and events", GuidanceLink: nil, OrderInCategory: 7, IsCritical: true},
		}},
		{Name: "B2. Reputation Management", Description: "Monitor and respond to reviews and customer feedback across all platforms", Icon: "⭐", Type: "ongoing", OrderInList: 9, Items: []SeedItem{
			{Title: "Daily: Monitor Review Sites (Google, Yelp, TripAdvisor, Facebook)", Description: "Check all major review platforms for new reviews daily", GuidanceLink: nil, OrderInCategory: 1, IsCritical: true},
			{Title: "Daily/Promptly: Respond to ALL New Reviews", Description: "Professional, personal responses to both positive and negative reviews", GuidanceLink: nil, OrderInCategory: 2, IsCritical: true},
			{Title: "Weekly: Manage GBP Q&A", Description: "Answer new Google Business Profile questions promptly", GuidanceLink: nil, OrderInCategory: 3, IsCritical: false},
		}},
		{Name: "B3. Paid Advertising", Description: "Strategic paid advertising campaigns across social media and search platforms", Icon: "🎯", Type: "ongoing", OrderInList: 10, Items: []SeedItem{
			{Title: "Weekly/Monthly: Review & Optimize Active Ad Campaigns (Social, Search)", Description: "Monitor and optimize Facebook/Instagram and Google Ads campaigns", GuidanceLink: nil, OrderInCategory: 1, IsCritical: false},
			{Title: "As Needed: Launch New Ad Campaigns for Promotions/Events", Description: "Create targeted campaigns for special promotions and events", GuidanceLink: nil, OrderInCategory: 2, IsCritical: false},
		}},
		{Name: "B4. Analytics & Reporting", Description: "Monthly analysis and reporting across all marketing channels", Icon: "📊", Type: "ongoing", OrderInList: 11, Items: []SeedItem{
			{Title: "Monthly: Review Website Analytics (GA4 & Search Console)", Description: "Track traffic, sources, user behavior, bounce rate, goal completions", GuidanceLink: nil, OrderInCategory: 1, IsCritical: false},
			{Title: "Monthly: Review GBP Insights", Description: "Track search types, actions taken, search queries, photo views", GuidanceLink: nil, OrderInCategory: 2, IsCritical: false},
			{Title: "Monthly: Review Social Media Analytics", Description: "Track reach, impressions, engagement rate, follower growth, top content", GuidanceLink: nil, OrderInCategory: 3, IsCritical: false},
			{Title: "Monthly: Review Email Marketing Analytics", Description: "Track open rates, click-through rates, unsubscribe rates, conversion rates", GuidanceLink: nil, OrderInCategory: 4, IsCritical: false},
			{Title: "Monthly: Synthesize All Data & Adjust Marketing Strategy", Description: "Use insights to refine marketing efforts and strategy", GuidanceLink: nil, OrderInCategory: 5, IsCritical: false},
		}},
		{Name: "B5. Technical & Listing Maintenance", Description: "Quarterly maintenance of technical systems and directory listings", Icon: "🔧", Type: "ongoing", OrderInList: 12, Items: []SeedItem{
			{Title: "Quarterly: Check Website for Broken Links & Test Forms", Description: "Quarterly audit of website links and functionality", GuidanceLink: nil, OrderInCategory: 1, IsCritical: false},
			{Title: "As Needed: Update Website Software/Plugins", Description: "Keep WordPress/CMS software updated for security", GuidanceLink: nil, OrderInCategory: 2, IsCritical: false},
			{Title: "Quarterly: Verify NAP Consistency Across Key Listings", Description: "Quarterly audit of business information consistency", GuidanceLink: nil, OrderInCategory: 3, IsCritical: false},
		}},
	}
}
