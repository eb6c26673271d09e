import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { LocaleProvider } from './i18n';
import { PlatformProvider } from './platform';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LocaleProvider>
        <PlatformProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </PlatformProvider>
      </LocaleProvider>
    </StrictMode>,
  );
}
