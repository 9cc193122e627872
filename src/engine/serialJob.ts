/**
 * An async job that runs one at a time: asked for while it runs, it runs once more after (however often it was
 * asked meanwhile), while `wanted` still holds. For work that reads or writes the latest state (a record save, a
 * record read), where a queue of runs would only repeat it.
 */
export class SerialJob {
  private running = false;
  private again = false;

  constructor(
    private readonly job: () => Promise<void>,
    private readonly wanted: () => boolean = () => true,
  ) {}

  run(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.job().finally(() => {
      this.running = false;
      if (!this.again || !this.wanted()) return;
      this.again = false;
      this.run();
    });
  }
}
