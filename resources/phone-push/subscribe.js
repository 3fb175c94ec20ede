// The phone link's page: on a tap, asks the phone's permission, registers the service worker,
// subscribes with central's VAPID public key and hands the subscription to central with the
// link's token (from this page's address: the page itself never holds it).
(() => {
  const main = document.querySelector('main[data-vapid-key]');
  const button = document.getElementById('subscribe');
  const status = document.getElementById('status');
  const words = document.getElementById('words').dataset;
  const token = new URLSearchParams(window.location.search).get('t') || '';

  const say = (text, tone) => {
    status.textContent = text;
    status.className = tone || '';
  };

  /** The VAPID key as PushManager takes it: bytes from base64url. */
  const keyBytes = (base64url) => {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };

  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    button.disabled = true;
    say(words.unsupported, 'problem');
    return;
  }

  button.addEventListener('click', async () => {
    button.disabled = true;
    say(words.working);
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        say(words.denied, 'problem');
        return;
      }
      const registration = await navigator.serviceWorker.register('sw.js');
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(main.dataset.vapidKey),
      });
      const answer = await fetch('subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(subscription),
      });
      if (answer.status === 401) say(words.expired, 'problem');
      else if (answer.ok) say(words.done, 'ok');
      else say(words.failed, 'problem');
    } catch {
      say(words.failed, 'problem');
    } finally {
      if (status.className !== 'ok') button.disabled = false;
    }
  });
})();
