import { BatonProvider } from '@baton/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './index.css'
import App from './App.tsx'
import { auth } from './auth.ts'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BatonProvider client={auth}>
      <App />
    </BatonProvider>
  </StrictMode>,
)
