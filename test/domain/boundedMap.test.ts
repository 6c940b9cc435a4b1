import assert from 'node:assert/strict';
import { BoundedMap } from '../../src/domain/boundedMap';

describe('BoundedMap', () => {
  it('makes a value once and hands it out again', () => {
    const map = new BoundedMap<number>(10);
    let made = 0;
    const make = () => ++made;
    assert.equal(map.getOrMake('a', make), 1);
    assert.equal(map.getOrMake('a', make), 1);
    assert.equal(made, 1);
  });

  it('drops everything when one more key would pass the bound, not when a key is set again', () => {
    const map = new BoundedMap<string>(2);
    map.set('a', 'A');
    map.set('b', 'B');
    map.set('b', 'B2');
    assert.deepEqual([map.get('a'), map.get('b')], ['A', 'B2']);
    map.set('c', 'C');
    assert.deepEqual([map.get('a'), map.get('b'), map.get('c')], [undefined, undefined, 'C']);
  });

  it('forgets a deleted key', () => {
    const map = new BoundedMap<string>(2);
    map.set('a', 'A');
    map.delete('a');
    assert.equal(map.get('a'), undefined);
  });
});
