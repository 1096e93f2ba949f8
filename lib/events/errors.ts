// An input the CLI cannot read at all (missing file, permission denied, empty directory). It extends
// the CLI's UsageError so `lib/cli/main.ts` already turns it into exit code 2 with this message.
import { UsageError } from "../cli/types";

export class InputError extends UsageError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}
