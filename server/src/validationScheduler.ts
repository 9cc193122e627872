/**
 * Debounces validation per Actor: each edit restarts that Actor's timer, so a burst of keystrokes costs one
 * validation. Work that became stale while waiting (a newer edit arrived) is dropped before it starts.
 */
export class ValidationScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generations = new Map<string, number>();

  constructor(
    private delayMs: number,
    private readonly validate: (actorRoot: string, isStale: () => boolean) => Promise<void>,
  ) {}

  setDelay(delayMs: number): void {
    this.delayMs = delayMs;
  }

  schedule(actorRoot: string, delayMs = this.delayMs): void {
    const generation = (this.generations.get(actorRoot) ?? 0) + 1;
    this.generations.set(actorRoot, generation);
    clearTimeout(this.timers.get(actorRoot));
    this.timers.set(
      actorRoot,
      setTimeout(() => {
        this.timers.delete(actorRoot);
        const isStale = () => this.generations.get(actorRoot) !== generation;
        if (!isStale()) void this.validate(actorRoot, isStale);
      }, delayMs),
    );
  }

  dispose(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }
}
