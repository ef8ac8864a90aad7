/**
 * What the shell gives every view: the store, and the few actions that cross views. Views import
 * this type, the store, widgets and the model, never the shell (media/src/main.ts).
 */

import type { ExportFormat, ExportView } from '../../protocol/panel';
import type { Store, Tab } from './store';

export interface Ctx {
  store: Store;
  /** The panel of each tab. */
  panels: Record<Tab, HTMLElement>;
  /** Everything again from the state (keeps the focus). */
  renderAll(): void;
  /** The side panel only: neuron details, selection, suppress / enhance. */
  renderSide(): void;
  /** The toolbar's controls changed the state: derive again, save, sync `controls`, render. */
  changed(opts: { controls: boolean | 'range' | 'text' }): void;
  /** Show a neuron's details (undefined: close them). */
  focusNeuron(key: string | undefined): void;
  /** Export a view in a format (sent to the extension, which asks where to save it). */
  exportView(view: ExportView, format: ExportFormat): Promise<void>;
  /** A line in the status area. */
  setStatus(text: string): void;
}
