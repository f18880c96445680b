import './zodConfig.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, NoBridge } from './App.js';
import { findBridge } from './bridge.js';
import { AnnouncerProvider } from './kit/Announcer.js';
import { BridgeProvider } from './kit/BridgeContext.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const bridge = findBridge();
createRoot(root).render(
  <StrictMode>
    <AnnouncerProvider>
      {bridge ? (
        <BridgeProvider value={bridge}>
          <App />
        </BridgeProvider>
      ) : (
        <NoBridge />
      )}
    </AnnouncerProvider>
  </StrictMode>,
);
