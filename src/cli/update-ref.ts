import { Command } from 'commander'

import { InvalidArgumentError } from '../errors.js'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeUpdateRefCommand(io: CliIo): Command {
  return withOutputOptions(new Command('update-ref'))
    .description('set or delete a ref, optionally only if it holds an expected value (compare-and-swap)')
    .usage('[options] <ref> <new> [<old>] | -d <ref> [<old>]')
    .argument('<ref>', "a full ref name ('refs/heads/main', 'refs/tags/v1') or HEAD (which moves the branch it names)")
    .argument('[values...]', 'the new value (a revision), then optionally the old value the ref must hold now')
    .option('-d, --delete', 'delete the ref (the only value given is then the old one)')
    .option('-m, --message <msg>', 'reason recorded in the reflog')
    .addHelpText('after', `
With <old>, the update happens only if the ref holds <old> now; 64 zeros (or "") as <old> means
the ref must not exist yet. 64 zeros as <new> deletes the ref, as in git. A branch (and HEAD) may
only hold a commit; the new object must exist in the store.

Output: nothing. --json: {"ref","old","next"}.
Exit status: 5 when the ref does not hold <old>, 10 when a value names nothing, 2 for an invalid
ref name or a non-commit written to a branch.

Examples:
  ankagit update-ref refs/heads/main 3fa9c0de
  ankagit update-ref refs/heads/main HEAD~1 HEAD -m "roll back"
  ankagit update-ref refs/tags/golden main 0000000000000000000000000000000000000000000000000000000000000000
  ankagit update-ref -d refs/heads/old`)
    .action(async (ref: string, values: string[], flags: OutputFlags & { delete?: boolean; message?: string }) => {
      const { updateRef } = await import('../commands/update-ref.js')
      const repo = await openCliRepository(io)
      const max = flags.delete ? 1 : 2
      if (values.length > max) throw new InvalidArgumentError(`too many arguments for update-ref${flags.delete ? ' -d' : ''}`)
      if (!flags.delete && values.length === 0) throw new InvalidArgumentError(`update-ref needs a new value for '${ref}' (or -d to delete it)`)
      const [first, second] = values
      const r = await updateRef({
        repo,
        ref,
        delete: flags.delete,
        newValue: flags.delete ? undefined : first,
        oldValue: flags.delete ? first : second,
        message: flags.message,
      })
      if (flags.json) io.out(JSON.stringify(r))
    })
}
