// Declaration files are not read by the checker.
import 'node:fs';
declare global {
  var cordonDebug: boolean;
}
