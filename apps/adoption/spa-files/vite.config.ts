// @baton/react's README, "React SPA": same origin through Vite's proxy. The adoption test sets
// the Baton backend's origin and changeOrigin (false is Vite's default and the README's advice).
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: process.env.BATON_API_ORIGIN, changeOrigin: process.env.VITE_CHANGE_ORIGIN === 'true' },
    },
  },
})
