/** A bounded set with least-recently-used eviction (conversation ownership cache). */
export class LruSet {
  private readonly items = new Set<string>();
  constructor(private readonly max: number) {}

  has(key: string): boolean {
    if (!this.items.has(key)) return false;
    this.items.delete(key);
    this.items.add(key);
    return true;
  }

  add(key: string): void {
    this.items.delete(key);
    this.items.add(key);
    if (this.items.size > this.max) this.items.delete(this.items.values().next().value as string);
  }
}
