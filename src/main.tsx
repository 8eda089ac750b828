import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import outputs from '../amplify_outputs.json';
import { App } from './App';
import { configureAmplify } from './amplify-config';
import './index.css';
import './auth/auth.css';

configureAmplify(outputs);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// index.html already holds what App first renders (the brand, src/auth/AuthShell.tsx): React adopts those elements.
hydrateRoot(
  root,
  <StrictMode>
    <App />
  </StrictMode>,
);
