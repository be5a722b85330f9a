import type { Theme } from 'vitepress'
import Layout from './Layout.vue'

const theme: Theme = { Layout }

export default theme
