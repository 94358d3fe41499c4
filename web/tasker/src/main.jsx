import { createRoot } from 'react-dom/client';
import App from './App.jsx';
import registerServiceWorker from './registerServiceWorker.js';

createRoot(document.getElementById('root')).render(<App />);
registerServiceWorker();
