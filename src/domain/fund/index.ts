/** A fund: its model and money rules (`model`), the sums of its claims (`ledger`) and the gate that keeps it from being over-committed (`reservation`). */
export * from './model';
export * from './ledger';
export * from './reservation';
