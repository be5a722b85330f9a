"""What the PFCC blog's site must change to publish its English posts (src/en/posts/), applied
to a copy of its site files: README "Publishing with VitePress" describes the same steps.

1. config: a `locales` entry (root stays zh-CN, `en` at /en/), so English pages get
   `<html lang="en-US">` and their own title;
2. the post loader: `en/posts/*.md` beside `posts/*.md`, each post tagged with its locale;
   without it every English page's layout finds no post (`reading 'date'`) and renders no body;
3. the layouts: list, page and link the posts of the page's own locale (home, pagination,
   previous/next, "back to the blog"), an English home page, and a language link in the nav.

Each change is a replacement of text the site has now: a site that changed fails loudly here."""

from __future__ import annotations

from pathlib import Path

from vitepress_site import PNG

CHANGES: dict[str, list[tuple[str, str]]] = {
    "config.ts": [
        (
            "    lang: 'zh-CN',\n    cleanUrls: true,\n",
            "    lang: 'zh-CN',\n"
            "    locales: {\n"
            "      root: { label: '简体中文', lang: 'zh-CN' },\n"
            "      en: {\n"
            "        label: 'English',\n"
            "        lang: 'en-US',\n"
            "        link: '/en/',\n"
            "        title: 'PaddlePaddle Community Blog',\n"
            "        description: metaInfo.description,\n"
            "      },\n"
            "    },\n"
            "    cleanUrls: true,\n",
        ),
    ],
    "theme/loaders/posts.ts": [
        ("  category?: string\n}\n", "  category?: string\n  locale: string\n}\n"),
        (
            "  return createContentLoader('posts/*.md', {",
            "  return createContentLoader(['posts/*.md', 'en/posts/*.md'], {",
        ),
        (
            "          date: formatDate(frontmatter.date),\n",
            "          date: formatDate(frontmatter.date, url.startsWith('/en/') ? 'en-US' : 'zh-CN'),\n"
            "          locale: url.startsWith('/en/') ? 'en' : 'root',\n",
        ),
        (
            "      const numPages = Math.ceil(posts.length / postsPerPage)",
            "      const numPages = Math.ceil(\n"
            "        posts.filter((p) => p.locale === 'root').length / postsPerPage\n      )",
        ),
        (
            "function formatDate(raw: string): Post['date'] {",
            "function formatDate(raw: string, lang: string): Post['date'] {",
        ),
        ("    string: date.toLocaleDateString('zh-CN', {", "    string: date.toLocaleDateString(lang, {"),
    ],
    "theme/Article.vue": [
        (
            "const { posts } = postsData\nconst { frontmatter: data } = useData()\n",
            "const { frontmatter: data, localeIndex } = useData()\n"
            "// the posts of this page's locale: previous and next stay in it\n"
            "const posts = computed(() => postsData.posts.filter((p) => p.locale === localeIndex.value))\n"
            "const home = computed(() => (localeIndex.value === 'root' ? '/' : `/${localeIndex.value}/`))\n",
        ),
        ("  return posts.findIndex(", "  return posts.value.findIndex("),
        (
            "computed(() => posts[findCurrentIndex()].date)",
            "computed(() => posts.value[findCurrentIndex()].date)",
        ),
        (
            "computed(() => posts[findCurrentIndex() - 1])",
            "computed(() => posts.value[findCurrentIndex() - 1])",
        ),
        (
            "computed(() => posts[findCurrentIndex() + 1])",
            "computed(() => posts.value[findCurrentIndex() + 1])",
        ),
        ('<a class="link" href="/">', '<a class="link" :href="home">'),
    ],
    "theme/Home.vue": [
        (
            "const { posts, postsPerPage } = postsData\n\nconst { frontmatter, site } = useData()\n",
            "const { postsPerPage } = postsData\n\nconst { frontmatter, site, localeIndex } = useData()\n"
            "const prefix = localeIndex.value === 'root' ? '' : `/${localeIndex.value}`\n"
            "const posts = postsData.posts.filter((p) => p.locale === localeIndex.value)\n",
        ),
        ("  if (route.path !== '/') {", "  if (route.path !== `${prefix}/`) {"),
        (
            "  return route.path === '/' ? 1 : Number(route.path.split('/')[2])",
            "  const path = route.path.slice(prefix.length)\n"
            "  return path === '/' ? 1 : Number(path.split('/')[2])",
        ),
        (':page-index="pageIndex"', ':page-index="pageIndex"\n      :prefix="prefix"'),
    ],
    "theme/Pagination.vue": [
        ("  pageIndex: number\n}>()", "  pageIndex: number\n  prefix: string\n}>()"),
        (
            "const { numPages, pageIndex } = defineProps",
            "const { numPages, pageIndex, prefix } = defineProps",
        ),
        (
            "  const basePath = pageNum === 1 ? '/' : `/pages/${pageNum}`",
            "  const basePath = pageNum === 1 ? `${prefix}/` : `${prefix}/pages/${pageNum}`",
        ),
    ],
    "theme/Layout.vue": [
        (
            "const { page, frontmatter, site } = useData()\n",
            "const { page, frontmatter, site, localeIndex } = useData()\n"
            "// the other locale's version of this page (posts/a.md <-> en/posts/a.md)\n"
            "const other = computed(() => {\n"
            "  const path = page.value.relativePath\n"
            "    .replace(/(^|\\/)index\\.md$/, '$1')\n"
            "    .replace(/\\.md$/, '')\n"
            "  return localeIndex.value === 'root'\n"
            "    ? { label: 'English', link: `/en/${path}` }\n"
            "    : { label: '中文', link: `/${path.replace(/^en\\//, '')}` }\n"
            "})\n",
        ),
        (
            "import { useData } from 'vitepress'\n",
            "import { computed } from 'vue'\nimport { useData } from 'vitepress'\n",
        ),
        (
            "  window.location.href = window.location.origin\n",
            "  window.location.href =\n"
            "    window.location.origin + (localeIndex.value === 'root' ? '' : '/en/')\n",
        ),
        (
            '<a class="text-xl" href="/"',
            "<a class=\"text-xl\" :href=\"localeIndex === 'root' ? '/' : '/en/'\"",
        ),
        (
            "            >PFCCLab →</a\n          >\n",
            "            >PFCCLab →</a\n          >\n"
            '          <span class="mr-2 ml-2">·</span>\n'
            '          <a class="hover:text-gray-700 dark:hover:text-gray-200" :href="other.link">{{\n'
            "            other.label\n          }}</a>\n",
        ),
    ],
}

PUBLIC = (
    "logo.png",
    "favicon.ico",
    "icons/mask-icon.svg",
    "icons/pwa-64x64.png",
    "icons/pwa-192x192.png",
    "icons/pwa-512x512.png",
    "icons/maskable-icon-512x512.png",
    "icons/apple-touch-icon-180x180.png",
)
"""The files of `public/` the config and theme name (placeholders)."""


def adapt(src: Path, locales: tuple[str, ...] = ("en",)) -> None:
    """The blog's site in `src` (its `.vitepress/`) made ready for English, plus what the
    repository has beside it that the corpus lacks: the home pages, the pages of its
    pagination (the blog's `beforeBuild` hook writes them), the files of `public/`."""
    for name, changes in CHANGES.items():
        path = src / ".vitepress" / name
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert text.count(old) == 1, f"{path}: the site changed, {old!r} is not there once"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    posts = len(list((src / "posts").glob("*.md")))
    for prefix in ("", *(f"{loc}/" for loc in locales)):
        (src / prefix).mkdir(parents=True, exist_ok=True)
        (src / prefix / "index.md").write_text("---\nlayout: home\n---\n", encoding="utf-8")
        pages = src / prefix / "pages"
        pages.mkdir(exist_ok=True)
        (pages / "[page].md").write_text("---\nlayout: home\n---\n", encoding="utf-8")
        (pages / "[page].paths.ts").write_text(
            "export default {\n  paths() {\n"
            f"    return Array.from({{ length: {-(-posts // 10)} }}).map((_, i) => ({{\n"
            "      params: { page: String(i + 1) },\n    }))\n  },\n}\n",
            encoding="utf-8",
        )
    for name in PUBLIC:
        path = src / "public" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>" if name.endswith(".svg") else PNG)
