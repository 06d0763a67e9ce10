"""Settings of the example site; `campsite build` and `pelican` both read them.

campsite's own settings and their defaults: plugins/campsite/pelican_plugin/settings.py.
"""

SITENAME = "campsite — barcamps et apéros"
SITEURL = ""
AUTHOR = "L'équipe campsite"
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"

THEME = "themes/campsite"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["campsite"]
# The domain part of calendar event UIDs: set once, never change it.
CAMPSITE_UID_DOMAIN = "campsite.example.org"

# Content: blog articles and write-ups in camp folders; camp data is read by
# campsite itself. Everything else under camps/ and images/ is copied as is.
ARTICLE_PATHS = ["blog", "camps"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["camps", "images"]
IGNORE_FILES = ["**/.*", "*.yml", "*.yaml", "*~", "*.swp", "*.bak", "#*#"]  # editors' backups too
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Blog"
SLUGIFY_SOURCE = "basename"  # addresses do not change when a title is edited
ARTICLE_URL = "blog/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "blog/{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"  # campsite writes tag pages: editions and articles
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_URL = "blog/"
ARCHIVES_SAVE_AS = "blog/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives", "tags"]

# News feeds are campsite's (a later step); Pelican's own are off.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"archives": None}  # the blog; the home page shows the latest ten
PAGINATION_PATTERNS = [(1, "{url}", "{save_as}"), (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html")]
RELATIVE_URLS = True
# Output is built in a fresh folder and swapped in by `campsite build`.
DELETE_OUTPUT_DIRECTORY = False
