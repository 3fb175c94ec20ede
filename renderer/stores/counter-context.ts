// The stores of the shift history and the register's language, handed to the screens that use
// them (history, the change screen, sign-in, devices) without widening every screen's props.
import { createContext, useContext } from 'react';
import type { HistoryStore } from './history.ts';
import type { LanguageStore } from './language.ts';

export const CounterContext = createContext<{ useHistory: HistoryStore; useLanguage: LanguageStore } | null>(null);

export function useCounter() {
  const stores = useContext(CounterContext);
  if (!stores) throw new Error('the history and language stores are given by main.tsx (CounterContext)');
  return stores;
}
