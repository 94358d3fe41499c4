// Installs the service worker (sw.js) that keeps the app shell for opening offline.
// Browsers without service workers, and pages not in a secure context, simply go
// without: the app works the same online.
export default function registerServiceWorker() {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/tasker/sw.js', { scope: '/tasker/' }).catch((e) => {
      console.warn('The app will not open offline: the service worker did not register.', e);
    });
  };
  // After the page has loaded, so the first visit's own downloads come first.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
