/* Dash's renderer (4.x) dispatches RESET_COMPONENT_STATE once for every component it mounts, to
   drop the layout hashes kept under that component's path. Every dispatch makes each mounted
   component re-run its store selector, so mounting N components costs N x N selector runs: the
   statements list (about 560 components) took over half a second to appear, and each date change
   that redrew it as long again.

   A freshly mounted component has no hashes under its path, so for it the reset changes nothing
   but the state object's identity. `contestedQuietResets` wraps the store's dispatch so such a reset
   is dropped; a reset that would remove a hash goes through unchanged. The test for "has hashes"
   is the reducer's own: a key of `layoutHashes` that starts with the path joined by commas.

   It is installed from the renderer's `layout_pre` hook (dashboard/web/app.py), which runs once
   the store exists and before the layout arrives. If the store does not look as expected (another
   Dash version), nothing is wrapped and the page works as Dash wrote it. */
window.contestedQuietResets = function (store) {
  if (!store || typeof store.dispatch !== "function" || typeof store.getState !== "function") { return; }
  if (store.dispatch.contestedQuiet) { return; }
  const state = store.getState();
  if (!state || typeof state.layoutHashes !== "object" || state.layoutHashes === null) { return; }
  const dispatch = store.dispatch;
  const quiet = function (action) {
    const path = action && action.type === "RESET_COMPONENT_STATE" && action.payload && action.payload.itempath;
    if (Array.isArray(path)) {
      const prefix = path.join(",");
      const hashes = store.getState().layoutHashes || {};
      if (!Object.keys(hashes).some((key) => key.startsWith(prefix))) {
        quiet.skipped += 1;
        return action;
      }
      quiet.passed += 1;
    }
    return dispatch(action);
  };
  quiet.contestedQuiet = true;
  quiet.skipped = 0;
  quiet.passed = 0;
  store.dispatch = quiet;
};
