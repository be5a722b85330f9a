// A small site laid out like the PFCC blog (src/.vitepress/, src/posts/, src/images/), with the
// second locale a maintainer adds for the English posts (README "Publishing with VitePress").
import { defineConfig } from 'vitepress'

export default defineConfig({
  title: '飞桨开源社区博客',
  description: 'Wonderful stories from PaddlePaddle contributors',
  lang: 'zh-CN',
  locales: {
    root: { label: '简体中文', lang: 'zh-CN' },
    en: { label: 'English', lang: 'en-US', link: '/en/', title: 'PaddlePaddle Community Blog' },
  },
  cleanUrls: true,
  markdown: { math: true },
})
