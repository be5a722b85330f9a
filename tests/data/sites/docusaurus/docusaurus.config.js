// The least a Docusaurus site needs to build its docs (no blog, no sidebar).
module.exports = {
  title: 'i18n-posts dialect fixture',
  url: 'https://example.org',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  presets: [['@docusaurus/preset-classic', { docs: { routeBasePath: '/', sidebarPath: false }, blog: false }]],
};
