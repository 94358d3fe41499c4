import { useEffect, useRef } from 'react';

// Shows a <dialog> as a modal while the component is mounted (focus stays inside, the page
// behind is inert). Escape calls onClose, the latest one given; focus goes back to where it
// was when the dialog opened, if that element is still on the page. Returns the dialog's ref.
export default function useModalDialog(onClose) {
  const ref = useRef(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement;
    if (dialog && !dialog.open) dialog.showModal();
    const onCancel = (e) => { e.preventDefault(); close.current(); };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (before && before.focus && document.contains(before)) before.focus();
    };
  }, []);

  return ref;
}
