import { CosmosFundEndNoticeRepository } from '../../src/store/fundEndNotices';
import { MemoryFundEndNoticeRepository } from '../../src/store/memory/fundEndNotices';
import { suiteDatabase } from '../support/stack';
import { fundEndNoticesContract } from './contract/fundEndNotices.contract';

/** Fund-end notices (issue 32): the in-memory twin and the Cosmos store keep one contract. */
describe('store/fundEndNotices', () => {
  describe('in memory', () => {
    fundEndNoticesContract(() => new MemoryFundEndNoticeRepository());
  });

  describe('on the Cosmos emulator', function () {
    this.timeout(20_000);
    const db = suiteDatabase();
    fundEndNoticesContract(() => new CosmosFundEndNoticeRepository(db()));
  });
});
