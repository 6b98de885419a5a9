# dlanalyze gdb-commands -- print every thread's backtrace followed by the owner of each
# pthread mutex it is waiting on.
#
#   dlanalyze gdb-commands > owners.gdb
#   gdb -nx -batch -p PID -x owners.gdb > dump.txt   (or a core: gdb -nx -batch -x owners.gdb EXE CORE)
#   dlanalyze dump.txt
#
# For each thread (highest gdb thread number first, like `thread apply all`):
#   - gdb's own `thread apply N bt` output (blank line, "Thread N (...):", frames);
#   - for every frame that has an argument named `mutex` (glibc's
#     ___pthread_mutex_lock, lll_mutex_lock_optimized, ... -- needs glibc debug
#     info, i.e. libc6-dbg), one line
#       owner: #<level> <function> mutex=<value as gdb prints it> __owner=<LWP> __lock=<n>
#     read from mutex->__data.__owner and mutex->__data.__lock;
#   - if no frame has a `mutex` argument but frame #0 is stopped in the futex
#     system call ($orig_rax == 202 on x86_64), one fallback line with the
#     futex word address (first syscall argument, $rdi) and the int32 at +8,
#     which is __owner if that futex word is a pthread_mutex_t:
#       futex: #0 uaddr=<address [<symbol>]> word=<n> int32@+8=<n>
#     (for a condvar, rwlock or join wait the +8 value means nothing).
# Defines the command `dl-owners` and runs it once at the end of this file.

python
import gdb


def _dl_mutex_args(frame):
    """Values of the arguments called `mutex` of FRAME, [] without debug info."""
    try:
        block = frame.block()
    except RuntimeError:
        return []
    # An inlined frame's block is the inline function's; arguments live in its
    # outermost block (the one whose .function is set).
    while block is not None and block.function is None:
        block = block.superblock
    if block is None:
        return []
    vals = []
    for sym in block:
        if sym.is_argument and sym.name == "mutex":
            try:
                vals.append(frame.read_var(sym, block))
            except (RuntimeError, ValueError) as e:
                vals.append(e)
    return vals


def _dl_owner_line(level, frame, val):
    name = frame.name() or "??"
    if isinstance(val, Exception):
        return "owner: #%d %s mutex=<%s>" % (level, name, val)
    try:
        data = val.dereference()["__data"]
        return "owner: #%d %s mutex=%s __owner=%d __lock=%d" % (
            level, name, val, int(data["__owner"]), int(data["__lock"]))
    except gdb.error as e:
        return "owner: #%d %s mutex=%s <%s>" % (level, name, val, e)


def _dl_futex_line():
    try:
        frame = gdb.newest_frame()
        frame.select()
        if int(gdb.parse_and_eval("$orig_rax")) != 202:
            return None
        uaddr = gdb.parse_and_eval("(void *) $rdi")
        word = int(gdb.parse_and_eval("*(int *) $rdi"))
        owner = int(gdb.parse_and_eval("*(int *) ((char *) $rdi + 8)"))
        return "futex: #0 uaddr=%s word=%d int32@+8=%d" % (uaddr, word, owner)
    except gdb.error:
        return None


class _DlOwners(gdb.Command):
    """Backtrace of every thread plus the __owner of each mutex it waits on."""

    def __init__(self):
        super().__init__("dl-owners", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        inferior = gdb.selected_inferior()
        for thread in sorted(inferior.threads(), key=lambda t: t.num, reverse=True):
            thread.switch()
            gdb.execute("thread apply %d bt" % thread.num)
            lines = []
            frame = gdb.newest_frame()
            level = 0
            while frame is not None:
                for val in _dl_mutex_args(frame):
                    lines.append(_dl_owner_line(level, frame, val))
                frame = frame.older()
                level += 1
            if not lines:
                futex = _dl_futex_line()
                if futex:
                    lines.append(futex)
            for line in lines:
                gdb.write(line + "\n")


_DlOwners()
end

dl-owners
