/**
 * Value of a node tagged `!include` or `!archive`. Upsun resolves those against files of the
 * repository; runops does not read them, it only keeps the document loadable.
 */
export class UnresolvedTag {
  constructor(readonly tag: string) {}
}
