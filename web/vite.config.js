import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Built into web/dist, which `shumao serve --web-root web/dist` serves at /.
// `npm run dev` proxies the API to a local server (SHUMAO_API, default 127.0.0.1:8080).
export default defineConfig({
  base: '/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    fs: { allow: ['..'] }, // the code tables in ../data
    proxy: {
      '/api': process.env.SHUMAO_API || 'http://127.0.0.1:8080',
      '/healthz': process.env.SHUMAO_API || 'http://127.0.0.1:8080',
    },
  },
})
