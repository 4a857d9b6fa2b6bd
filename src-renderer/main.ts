import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { applyTheme, rememberedChoice, resolveTheme, systemPrefersDark } from './lib/theme.js';

// The last theme chosen, before the first paint; the preferences confirm it once the API answers.
applyTheme(resolveTheme(rememberedChoice(), systemPrefersDark()));

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });
