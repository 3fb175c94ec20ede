// Arrow keys in the screens' lists and grids: ↑ ↓ move in a list, and ← → too in a grid, the
// focus going from button to button so that Enter chooses the one that has it. The step itself
// is a plain function; the hook moves the real focus, and only while its list is the one in use.
import { useEffect, useRef, type RefObject } from 'react';

const ARROWS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);

/**
 * Where an arrow key goes from `index` among `count` items laid out `columns` to a row (1: a
 * list, where ← → are not the list's). From nowhere any of the list's arrows goes to the first
 * item; at an edge it stays. Null: the key is not for this list.
 */
export function arrowStep(index: number | null, key: string, count: number, columns = 1): number | null {
  if (!ARROWS.has(key) || count === 0) return null;
  if (columns <= 1 && (key === 'ArrowLeft' || key === 'ArrowRight')) return null;
  if (index === null || index < 0 || index >= count) return 0;
  const step = key === 'ArrowLeft' ? -1 : key === 'ArrowRight' ? 1 : key === 'ArrowUp' ? -Math.max(1, columns) : Math.max(1, columns);
  const next = index + step;
  // ← at a row's start goes to the row above's end (reading order), as → the other way.
  return next < 0 || next >= count ? index : next;
}

/** How many items sit on the first row: the grid's columns as laid out now. */
export function columnsOf(items: readonly HTMLElement[]): number {
  const top = items[0]?.offsetTop;
  return top === undefined ? 1 : Math.max(1, items.filter((e) => e.offsetTop === top).length);
}

const isTextField = (el: Element | null): el is HTMLInputElement | HTMLTextAreaElement =>
  el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !['button', 'submit', 'radio', 'checkbox'].includes(el.type));

/**
 * Arrow keys move the focus among the buttons `selector` finds in `container` while `active()`
 * says the list is the one in use; Enter on one of them chooses it. Listening in the capture
 * phase, the keys it takes never reach the screen's own handlers (the cart's ↑ ↓, the wedge
 * detector). A text field with something typed in it keeps its arrows.
 */
export function useArrowFocus(
  container: RefObject<HTMLElement | null>,
  selector: string,
  active: () => boolean,
  opts: { grid?: boolean } = {},
) {
  const grid = opts.grid ?? false;
  const inUse = useRef(active);
  inUse.current = active;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || !inUse.current()) return;
      const root = container.current;
      if (!root || (!ARROWS.has(e.key) && e.key !== 'Enter')) return;
      const items = Array.from(root.querySelectorAll<HTMLElement>(selector)).filter((el) => !(el as HTMLButtonElement).disabled);
      const focused = document.activeElement;
      const index = items.findIndex((el) => el === focused);
      if (e.key === 'Enter') {
        if (index < 0) return;
        e.preventDefault();
        e.stopPropagation();
        items[index]!.click();
        return;
      }
      if (index < 0 && isTextField(focused) && focused.value !== '') return;
      const next = arrowStep(index < 0 ? null : index, e.key, items.length, grid ? columnsOf(items) : 1);
      if (next === null) return;
      e.preventDefault();
      e.stopPropagation();
      items[next]!.focus();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [container, selector, grid]);
}
