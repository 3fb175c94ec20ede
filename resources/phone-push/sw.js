// The phone's service worker for central's alerts: shows each push (the JSON a PUSH template
// renders: title, body, optionally url) and opens its url on a tap.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : '' };
  }
  const title = message.title || 'POS';
  event.waitUntil(self.registration.showNotification(title, { body: message.body || '', data: { url: message.url || null } }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url;
  if (url) event.waitUntil(self.clients.openWindow(url));
});
