// A dialog over the sell screen has the whole keyboard: the screen's own keys (F12, Supr on the
// selected line, the menu's F-keys, the wedge detector) must not act behind it. Listening in the
// capture phase and stopping there, the keys still do what they do in the dialog's own fields
// (typing, Enter submitting its form) but never reach the screen's handlers. Esc closes it. A
// manager's approval on top of it has the keyboard in its turn.
import { useEffect, useRef } from 'react';
import type { RegisterStore } from '../stores/register.ts';

export function useHoldKeyboard(useRegister: RegisterStore, onEscape: () => void) {
  const escapeKey = useRef(onEscape);
  escapeKey.current = onEscape;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (useRegister.getState().approval) return;
      e.stopPropagation();
      // F-keys belong to the screen behind: here they do nothing (F5 would reload the page).
      if (/^F\d+$/.test(e.key)) e.preventDefault();
      if (e.key === 'Escape') {
        e.preventDefault();
        escapeKey.current();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [useRegister]);
}
