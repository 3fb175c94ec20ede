// An error where it happened, in the cashier's words; read out by screen readers at once.
export function Message({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="message" role="alert">
      {text}
    </p>
  );
}
