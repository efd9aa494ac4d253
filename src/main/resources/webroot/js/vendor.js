// Third-party browser libraries, served from their WebJars under /webjars/ (versions as in pom.xml) and loaded only
// by the page that needs them.
export const CHART_JS = '/webjars/chart.js/4.5.1/dist/chart.umd.min.js';
export const FULLCALENDAR = '/webjars/fullcalendar/6.1.15/index.global.min.js';
export const QRCODE = '/webjars/qrcodejs/07f829d/qrcode.min.js';

const loading = new Map();

/** Loads a classic script once; resolves when it has run. */
export function loadScript(src) {
  if (!loading.has(src)) {
    loading.set(src, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve();
      script.onerror = () => { loading.delete(src); reject(new Error('could not load ' + src)); };
      document.head.append(script);
    }));
  }
  return loading.get(src);
}
