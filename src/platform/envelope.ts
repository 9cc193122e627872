/** The platform API's response shapes: `{"data": …}` and list pages. */

export function data<T>(value: T): { data: T } {
  return { data: value };
}

export interface PageRequest {
  offset: number;
  limit: number;
  desc: boolean;
}

export interface ListPage<T> {
  total: number;
  offset: number;
  count: number;
  limit: number;
  desc: boolean;
  items: T[];
}

/** A page of an already ordered (ascending) list, as the platform pages lists. */
export function listPage<T>(all: readonly T[], page: PageRequest): { data: ListPage<T> } {
  const ordered = page.desc ? [...all].reverse() : all;
  const items = ordered.slice(page.offset, page.offset + page.limit);
  return data({ total: all.length, offset: page.offset, count: items.length, limit: page.limit, desc: page.desc, items });
}
