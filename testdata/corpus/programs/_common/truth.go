// truth.go: shared by every Go program of the corpus (each program's
// directory holds a symlink to it). It prints the program's own ground truth
// as TRUTH lines on stdout and, when DLA_ADDR_FILE is set, serves
// net/http/pprof on 127.0.0.1:0 and writes the bound address to that file.
// Nothing here takes a lock that is held at capture time.
package main

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"reflect"
	"runtime"
	"strings"
	"time"
)

// serving is true when the pprof listener runs (capture of debug=2 and
// SIGQUIT); false for the run that ends in "all goroutines are asleep".
var serving bool

func init() {
	path := os.Getenv("DLA_ADDR_FILE")
	if path == "" {
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	serving = true
	go http.Serve(ln, nil)
	if err := os.WriteFile(path, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
		panic(err)
	}
}

// gid returns the calling goroutine's id, read from runtime.Stack's header.
func gid() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	f := strings.Fields(string(buf))
	return f[1] // "goroutine 21 [running]:"
}

func callerLine(skip int) (string, int) {
	_, file, line, _ := runtime.Caller(skip + 1)
	return file[strings.LastIndex(file, "/")+1:], line
}

func truthIdiom(s string)      { fmt.Printf("TRUTH idiom %s\n", s) }
func truthDeadlock(d bool)     { fmt.Printf("TRUTH deadlock %v\n", d) }
func truthCycle(ids ...string) { fmt.Printf("TRUTH cycle %s\n", strings.Join(ids, " ")) }

// truthLock names a sync.Mutex or sync.RWMutex by its address.
func truthLock(lock any, name, kind string) {
	fmt.Printf("TRUTH lock addr=%p kind=%s name=%s\n", lock, kind, name)
}

// truthHold: the calling goroutine holds lock, taken by the call on the line
// just above this call.
func truthHold(lock any, mode string) {
	file, line := callerLine(1)
	fmt.Printf("TRUTH hold task=%s addr=%p mode=%s file=%s line=%d\n", gid(), lock, mode, file, line-1)
}

// truthWait: the calling goroutine is about to block on lock, in the call on
// the line just below this call.
func truthWait(lock any, mode string) {
	file, line := callerLine(1)
	fmt.Printf("TRUTH wait task=%s addr=%p mode=%s file=%s line=%d\n", gid(), lock, mode, file, line+1)
}

// truthStuck: the calling goroutine is about to block, on the next line, in a
// wait that nothing will ever satisfy (no lock cycle involved).
func truthStuck(reason string) {
	file, line := callerLine(1)
	fmt.Printf("TRUTH stuck task=%s file=%s line=%d reason=%s\n", gid(), file, line+1, reason)
}

// truthNotStuck: the calling goroutine is about to wait, on the next line,
// for something that will come.
func truthNotStuck(reason string) {
	file, line := callerLine(1)
	fmt.Printf("TRUTH notstuck task=%s file=%s line=%d reason=%s\n", gid(), file, line+1, reason)
}

// truthBehind: the calling goroutine is about to wait, on the next line, for
// tasks that are themselves deadlocked or stuck (not a lock wait itself).
func truthBehind(reason string) {
	file, line := callerLine(1)
	fmt.Printf("TRUTH behind task=%s file=%s line=%d reason=%s\n", gid(), file, line+1, reason)
}

// truthReady lets the goroutines that announced a wait reach it, then says so.
func truthReady() {
	time.Sleep(500 * time.Millisecond)
	fmt.Println("READY")
}

// truthWaitIf is truthWait when cond holds (for code shared by a task that
// will block and one that will not).
func truthWaitIf(cond bool, lock any, mode string) {
	if cond {
		file, line := callerLine(1)
		fmt.Printf("TRUTH wait task=%s addr=%p mode=%s file=%s line=%d\n", gid(), lock, mode, file, line+1)
	}
}

// truthNotStuckIf is truthNotStuck when cond holds.
func truthNotStuckIf(cond bool, reason string) {
	if cond {
		file, line := callerLine(1)
		fmt.Printf("TRUTH notstuck task=%s file=%s line=%d reason=%s\n", gid(), file, line+1, reason)
	}
}

// truthWaitIn: the calling goroutine is about to block on lock in the call
// that lies offset lines below the first line of function fn (a lock helper
// shared with tasks that do not block, e.g. func acquire(m *sync.Mutex)).
func truthWaitIn(lock any, mode string, fn any, offset int) {
	pc := reflect.ValueOf(fn).Pointer()
	file, line := runtime.FuncForPC(pc).FileLine(pc)
	file = file[strings.LastIndex(file, "/")+1:]
	fmt.Printf("TRUTH wait task=%s addr=%p mode=%s file=%s line=%d\n", gid(), lock, mode, file, line+offset)
}
