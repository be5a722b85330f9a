// Build this site with Hexo's API (hexo-cli is not needed): exit 1 on any error.
const Hexo = require('hexo');
const hexo = new Hexo(process.cwd(), { silent: true });
hexo.init()
  .then(() => hexo.call('generate', {}))
  .then(() => hexo.exit())
  .catch((err) => { console.error(err); return hexo.exit(err).then(() => process.exit(1)); });
