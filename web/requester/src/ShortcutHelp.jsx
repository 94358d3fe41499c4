import useModalDialog from './useModalDialog.js';
import { SHORTCUTS } from './reviewKeys.js';

// The review screen's keyboard shortcuts, in a dialog ("?").
export default function ShortcutHelp({ onClose }) {
  const ref = useModalDialog(onClose);
  return (
    <dialog ref={ref} className="shortcut-help" aria-labelledby="shortcut-title">
      <h2 id="shortcut-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <th scope="row">{s.keys.map((k, i) => <span key={k}>{i > 0 && ' or '}<kbd>{k}</kbd></span>)}</th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted">Shortcuts do nothing while you type in a text field.</p>
      <div className="actions"><button type="button" className="primary" onClick={onClose} autoFocus>Close</button></div>
    </dialog>
  );
}
