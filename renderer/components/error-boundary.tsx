// The last net under the screens: a render that throws shows what happened and a way on, in the
// cashier's language, instead of a blank window. Nothing is lost by reloading: paid sales are in
// the journal and the open sale in the engine's database. The error goes to the console, which
// the desktop shell copies into the terminal's log (shell.log) and serve mode leaves to the browser.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { I18n } from '../i18n/index.ts';

type Props = { i18n: I18n; children: ReactNode };
type State = { error: Error | null };

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('screen: a render failed:', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { t } = this.props.i18n;
    return (
      <div className="panel crash" role="alert">
        <h1>{t('crash.title')}</h1>
        <p>{t('crash.body')}</p>
        <button type="button" className="primary" autoFocus onClick={() => window.location.reload()}>
          {t('crash.reload')}
        </button>
        <p className="crash-detail">{t('crash.detail', { message: error.message.slice(0, 200) })}</p>
      </div>
    );
  }
}
