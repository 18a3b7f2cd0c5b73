import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { startServiceWorker } from './ui/service-worker';
import './ui/styles.css';

// The built app only: offline use and, on hosts without COOP/COEP, cross-origin isolation.
if (import.meta.env.PROD) startServiceWorker(`${import.meta.env.BASE_URL}sw.js`);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
