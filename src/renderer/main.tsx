import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, Unauthorized } from './App';
import { setClient } from './api/client';
import { setExportDelivery } from './api/exportDelivery';
import { connect } from './api/connect';
import { useStore } from './store';
import { applyEvent, loadInfo, loadJobs, loadSyncStatus, loadWorkspace } from './store/actions';
import { openStartIfEmpty } from './screens/start/openStart';
import { installShortcuts } from './shortcuts';
import { initialTheme } from './useTheme';
import './styles.css';

useStore.getState().setTheme(initialTheme());
const connection = connect((connected) => {
  const wasConnected = useStore.getState().connected;
  useStore.getState().setConnected(connected);
  // After a reconnect, catch up on what changed while the channel was down.
  if (connected && !wasConnected) {
    void loadJobs();
    void loadWorkspace();
    void loadSyncStatus();
  }
});
const root = createRoot(document.getElementById('root')!);

if (connection.kind === 'unauthorized') {
  root.render(<Unauthorized />);
} else {
  setClient(connection.client, connection.fileUrl, connection.videoUrl);
  setExportDelivery(connection.delivery);
  connection.client.onEvent(applyEvent);
  void loadInfo();
  void loadJobs();
  installShortcuts();
  void openStartIfEmpty().finally(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
}
