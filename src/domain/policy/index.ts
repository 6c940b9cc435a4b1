// The tenant's approval policy: its rules and how an Approve follows them; import from here.
export * from './model';
export * from './approval';
export * from './edit';
export * from './limits';
export * from './away';
export * from './deadlines';
