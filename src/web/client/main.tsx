/** The web chat's page: mounts the app into the shell that src/web/client/index.html provides. */
import { render } from 'preact';
import { App } from './app.js';

const root = document.getElementById('app');
if (root) render(<App />, root);
