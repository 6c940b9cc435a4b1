/**
 * Required by `.mocharc.agents.json`, the second pass of `npm test`: the suites it names run on the
 * Microsoft 365 Agents SDK edge (BOT_SDK=agents), as `BOT_SDK=agents npm test` runs them all.
 */
process.env.BOT_SDK = 'agents';
