// SPDX-License-Identifier: GPL-2.0

// Command gotimer-gobench measures the Go runtime's timers (Go 1.19: per-P
// 4-ary heaps, lazy modify and stop, the design gotimer ports) with the same
// operations, random streams and output as ../bench_gotimer.c and
// ../bench_libuv.c; see ../bench.h for the protocol.
//
//	gotimer-gobench N OPS SEED          every operation once, "R," lines
//	gotimer-gobench N OPS SEED OP K     callgrind mode: set up, K of OP, exit
//
// One goroutine, GOMAXPROCS=1, so that every timer is in one P's heap.
// arm = time.AfterFunc, modify = Timer.Reset, stop = Timer.Stop.  Fire
// tests arm N timers due a few ms ahead, sleep with a raw nanosleep (which
// the scheduler does not see, so no timer runs meanwhile), then block: the
// scheduler's checkTimers runs every due timer, each AfterFunc callback in
// a goroutine of its own; the figure is the time until the last callback
// ran.  "run-due-chan" does the same with time.NewTimer (a channel send per
// timer, no goroutine).  Go has no equivalent of move.
//
// The garbage collector is off (SetGCPercent(-1)) and run by hand between
// timed regions only.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

const (
	secNs      = int64(time.Second)
	hourNs     = 3600 * secNs
	fireSpanNs = 5 * int64(time.Millisecond)
)

// Operation keys, in bench.h's order; run-due-chan is Go only.
var opKeys = []string{"arm", "mod-later", "mod-earlier", "stop", "stop-rearm",
	"run-due", "churn-run-due", "move", "run-due-chan", "arm-reuse"}

const (
	opArm = iota
	opModLater
	opModEarlier
	opStop
	opStopRearm
	opRunDue
	opChurnRun
	opMove
	opRunDueChan
	opArmReuse
)

type bench struct {
	n, ops, b uint32
	draw      uint32 // times drawn per batch, >= b (callgrind mode: N/5)
	seed      uint64
	cg        bool   // callgrind mode
	cgRegion  bool   // callgrind mode: this fire rep is the measured one
	k         uint32 // callgrind mode: how many
	t         []*time.Timer
	off       []int64
	rel       []int64
	perm      []uint32
	ovh       int64
}

var start = time.Now()

// nanotime: the monotonic clock, one vDSO call.
func nanotime() int64 { return int64(time.Since(start)) }

func max32(a, b uint32) uint32 {
	if a > b {
		return a
	}
	return b
}

// Callgrind mode: count the instructions of the measured region alone
// (callgrind.h's CALLGRIND_ZERO_STATS and CALLGRIND_DUMP_STATS, for every
// thread); native-bench.sh reads the first dump.
const (
	cgDumpStats = 0x43540000 // VG_USERREQ_TOOL_BASE('C','T')
	cgZeroStats = 0x43540001
)

func (b *bench) cgBegin() {
	if b.cg {
		clientRequest(&[6]uint64{cgZeroStats})
	}
}

func (b *bench) cgEnd() {
	if b.cg {
		clientRequest(&[6]uint64{cgDumpStats})
	}
}

func xorshift(s *uint64) uint64 {
	x := *s
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*s = x
	return x * 0x2545F4914F6CDD1D
}

func (b *bench) stream(stream uint32) uint64 {
	s := b.seed ^ (uint64(b.n) * 0x100000001B3) ^
		(uint64(stream+1) * 0x9E3779B97F4A7C15)
	if s == 0 {
		s = 1
	}
	return s
}

func shufflePrefix(perm []uint32, n, k uint32, s *uint64) {
	for j := uint32(0); j < k; j++ {
		x := j + uint32(xorshift(s)%uint64(n-j))
		perm[j], perm[x] = perm[x], perm[j]
	}
}

func clockOverhead() int64 {
	v := make([]int64, 101)
	for i := range v {
		t0 := nanotime()
		v[i] = nanotime() - t0
	}
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	return v[50]
}

var fired int64
var target int64
var lastNs int64
var done chan struct{}

func fireCb() {
	if atomic.AddInt64(&fired, 1) == target {
		lastNs = nanotime()
		close(done)
	}
}

// rawSleepUntil sleeps with nanosleep(2) as a raw system call: the thread
// keeps its P and the scheduler (so checkTimers) does not run meanwhile.
func rawSleepUntil(deadline int64) {
	for {
		d := deadline - nanotime()
		if d <= 0 {
			return
		}
		ts := syscall.NsecToTimespec(d)
		syscall.RawSyscall(syscall.SYS_NANOSLEEP,
			uintptr(unsafe.Pointer(&ts)), 0, 0)
	}
}

type pad80 struct{ p [10]*byte }

var sink []*pad80

// prefault leaves free, already touched slots of the Timer's size class,
// as a program with the GC on would have: AfterFunc then does not page
// fault in the timed region.
func prefault(n uint32) {
	sink = make([]*pad80, 2*n)
	for i := range sink {
		sink[i] = new(pad80)
	}
	sink = nil
	runtime.GC()
}

func (b *bench) opArm() float64 {
	s := b.stream(1 + opArm)
	idle := make([]*time.Timer, b.draw)
	var total int64
	warm := !b.cg // an untimed first batch grows the heap
	for done := uint32(0); done < b.ops; warm = false {
		n := b.b
		if b.ops-done < n {
			n = b.ops - done
		}
		for j := uint32(0); j < max32(n, b.draw); j++ {
			b.rel[j] = hourNs + int64(xorshift(&s)%uint64(hourNs))
		}
		if !b.cg {
			prefault(n)
		}
		b.cgBegin()
		t0 := nanotime()
		for j := uint32(0); j < n; j++ {
			idle[j] = time.AfterFunc(time.Duration(b.rel[j]), fireCb)
		}
		if !warm {
			total += nanotime() - t0 - b.ovh
		}
		b.cgEnd()
		if b.cg {
			return 0
		}
		for j := uint32(0); j < n; j++ {
			idle[j].Stop()
			idle[j] = nil
		}
		// checkTimers drops deleted timers when they are > 1/4 (Go's rule)
		runtime.Gosched()
		if !warm {
			done += n
		}
	}
	return float64(total) / float64(b.ops)
}

// opArmReuse: Reset of timers that have fired (status timerNoStatus, in no
// heap): modtimer's path into doaddtimer, the Go runtime's own "arm an idle
// timer", without AfterFunc's allocation.
func (b *bench) opArmReuse() float64 {
	s := b.stream(1 + opArmReuse)
	idle := make([]*time.Timer, b.draw)
	for j := range idle {
		idle[j] = time.AfterFunc(time.Duration(hourNs), fireCb)
	}
	var total int64
	for done := uint32(0); done < b.ops; {
		n := b.b
		if b.ops-done < n {
			n = b.ops - done
		}
		for j := uint32(0); j < max32(n, b.draw); j++ {
			b.rel[j] = hourNs + int64(xorshift(&s)%uint64(hourNs))
		}
		// let them run now: afterwards they are in no heap
		target = -1
		atomic.StoreInt64(&fired, 0)
		for j := range idle {
			idle[j].Reset(1)
		}
		for atomic.LoadInt64(&fired) < int64(len(idle)) {
			time.Sleep(time.Millisecond)
		}
		runtime.Gosched()
		b.cgBegin()
		t0 := nanotime()
		for j := uint32(0); j < n; j++ {
			idle[j].Reset(time.Duration(b.rel[j]))
		}
		total += nanotime() - t0 - b.ovh
		b.cgEnd()
		if b.cg {
			return 0
		}
		done += n
	}
	for _, t := range idle {
		t.Stop()
	}
	return float64(total) / float64(b.ops)
}

func (b *bench) opPending(op int) float64 {
	s := b.stream(uint32(1 + op))
	p := b.perm
	var total int64
	for done := uint32(0); done < b.ops; {
		n := b.b
		if b.ops-done < n {
			n = b.ops - done
		}
		shufflePrefix(p, b.n, max32(n, b.draw), &s)
		for j := uint32(0); j < max32(n, b.draw); j++ {
			o := b.off[p[j]]
			switch op {
			case opModLater:
				b.rel[j] = 2*hourNs + o
			case opModEarlier:
				b.rel[j] = hourNs/2 + o
			default:
				b.rel[j] = hourNs + o
			}
		}
		b.cgBegin()
		t0 := nanotime()
		switch op {
		case opModLater, opModEarlier:
			for j := uint32(0); j < n; j++ {
				b.t[p[j]].Reset(time.Duration(b.rel[j]))
			}
		case opStop:
			for j := uint32(0); j < n; j++ {
				b.t[p[j]].Stop()
			}
		default:
			for j := uint32(0); j < n; j++ {
				b.t[p[j]].Stop()
				b.t[p[j]].Reset(time.Duration(b.rel[j]))
			}
		}
		total += nanotime() - t0 - b.ovh
		b.cgEnd()
		if b.cg {
			return 0
		}
		if op != opStopRearm {
			for j := uint32(0); j < n; j++ {
				b.t[p[j]].Reset(time.Duration(hourNs + b.off[p[j]]))
			}
		}
		done += n
	}
	return float64(total) / float64(b.ops)
}

// fireOnce arms n timers due within fireSpanNs after a lead time, churns
// (re-arms q, stops q), sleeps until all are due and runs them.  Returns
// the timed ns (churn + run), or -1 if a timer ran before it should have.
func (b *bench) fireOnce(op int, foff, noff []int64, p []uint32, lead int64,
	timed bool) int64 {
	n := b.n
	q := uint32(0)
	if op == opChurnRun {
		q = n / 4
	}
	ft := make([]*time.Timer, n)
	atomic.StoreInt64(&fired, 0)
	target = int64(n - q)
	done = make(chan struct{})
	runtime.Gosched() // a fresh 10 ms preemption slice
	t0 := nanotime()
	due := t0 + lead
	for i := uint32(0); i < n; i++ {
		// AfterFunc is relative to now: read the clock for each (this
		// part is not timed)
		d := time.Duration(due + foff[i] - nanotime())
		if op == opRunDueChan {
			ft[i] = time.NewTimer(d)
		} else {
			ft[i] = time.AfterFunc(d, fireCb)
		}
	}
	if !timed {
		os.Exit(0) // callgrind mode, K = 0: the same, without churn and run
	}
	if b.cgRegion {
		b.cgBegin() // the measured rep: churn and run
	}
	var seg1 int64
	if q > 0 {
		// Reset is relative to now: read the clock every 16 (timed, as
		// a caller of this API has to)
		c0 := nanotime()
		cur := c0
		for j := uint32(0); j < q; j++ {
			if j%16 == 0 {
				cur = nanotime()
			}
			ft[p[j]].Reset(time.Duration(due + noff[j] - cur))
		}
		for j := uint32(0); j < q; j++ {
			ft[p[q+j]].Stop()
		}
		seg1 = nanotime() - c0 - b.ovh
	}
	if b.cg {
		// Counting instructions, not time: whether the scheduler runs
		// the timers in the sleep (sysmon's preemption request) or
		// after it, the work is the same.  Only the churn must not meet
		// a timer that has already run.
		if nanotime() > due {
			fmt.Fprintf(os.Stderr, "go %s: lead too short under valgrind\n", opKeys[op])
			os.Exit(1)
		}
		rawSleepUntil(due + fireSpanNs + 2*int64(time.Millisecond))
		if op == opRunDueChan {
			runtime.Gosched()
		} else {
			<-done
		}
		if b.cgRegion {
			b.cgEnd()
		}
		return 0
	}
	// Nothing may be due before the last scheduling point below.
	if nanotime() > due-3*int64(time.Millisecond) {
		return abandon(ft, "lead too short")
	}
	rawSleepUntil(due - 3*int64(time.Millisecond))
	runtime.Gosched()
	if nanotime() > due-time.Millisecond.Nanoseconds() {
		return abandon(ft, "descheduled")
	}
	rawSleepUntil(due + fireSpanNs + 2*int64(time.Millisecond))
	if f := atomic.LoadInt64(&fired); f != 0 {
		return abandon(ft, fmt.Sprintf("%d timers ran early", f))
	}
	t1 := nanotime()
	if op == opRunDueChan {
		runtime.Gosched() // findRunnable -> checkTimers runs them all
		t2 := nanotime()
		for _, t := range ft {
			if len(t.C) != 1 {
				// armed late (a preemption between AfterFunc's
				// clock read and its add): do not count this one
				return abandon(ft, "a timer was not due")
			}
		}
		return t2 - t1 - b.ovh
	}
	<-done
	return seg1 + lastNs - t1 - b.ovh
}

// abandon stops an attempt's timers, waits for callbacks already started,
// and returns -2 (try again with a longer lead) or -4 (try again).
func abandon(ft []*time.Timer, why string) int64 {
	if verbose {
		fmt.Fprintf(os.Stderr, "go: fire attempt abandoned: %s\n", why)
	}
	for _, t := range ft {
		t.Stop()
	}
	time.Sleep(10 * time.Millisecond)
	if why == "lead too short" {
		return -2
	}
	return -4
}

var verbose = os.Getenv("NB_VERBOSE") != ""

func (b *bench) opFire(op int) float64 {
	s := b.stream(uint32(1 + op))
	n := b.n
	q := uint32(0)
	if op == opChurnRun {
		q = n / 4
	}
	reps := b.ops / n
	if reps == 0 || b.cg {
		reps = 1
	}
	foff := make([]int64, n)
	noff := make([]int64, q)
	p := b.perm
	// Lead: time to arm (and churn) before the first timer is due.
	lead := 10*int64(time.Millisecond) + int64(n)*2000
	if b.cg {
		lead = 3*secNs + int64(n)*200000
	}
	runtime.GC()
	time.Sleep(5 * time.Millisecond) // the sweeper and scavenger park
	var total int64
	// rep 0 is a warm-up (goroutines and stacks exist afterwards)
	for r := uint32(0); r <= reps; r++ {
		for i := range foff {
			foff[i] = int64(xorshift(&s) % uint64(fireSpanNs))
		}
		if q > 0 {
			shufflePrefix(p, n, 2*q, &s)
			for j := range noff {
				noff[j] = int64(xorshift(&s) % uint64(fireSpanNs))
			}
		}
		timed := !(b.cg && b.k == 0 && r == reps)
		b.cgRegion = b.cg && r == reps
		v := b.fireOnce(op, foff, noff, p, lead, timed)
		for tries := 0; (v == -2 || v == -4) && tries < 6; tries++ {
			if v == -2 {
				lead *= 4
			}
			v = b.fireOnce(op, foff, noff, p, lead, timed)
		}
		if v < 0 {
			return -1
		}
		if r > 0 {
			total += v
		}
	}
	return float64(total) / float64(reps) / float64(n)
}

func (b *bench) run(op int) float64 {
	switch op {
	case opArm:
		return b.opArm()
	case opArmReuse:
		return b.opArmReuse()
	case opRunDue, opChurnRun, opRunDueChan:
		return b.opFire(op)
	case opMove:
		return -2
	default:
		return b.opPending(op)
	}
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: gotimer-gobench N OPS SEED [OP K]\n  OP: %v\n", opKeys)
	os.Exit(2)
}

func atou(s string) uint64 {
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		usage()
	}
	return v
}

func main() {
	runtime.GOMAXPROCS(1)
	debug.SetGCPercent(-1)
	a := os.Args
	if len(a) != 4 && len(a) != 6 {
		usage()
	}
	b := &bench{n: uint32(atou(a[1])), ops: uint32(atou(a[2])), seed: atou(a[3])}
	only := -1
	if len(a) == 6 {
		for i, k := range opKeys {
			if k == a[4] {
				only = i
			}
		}
		if only < 0 {
			usage()
		}
		b.cg = true
		b.k = uint32(atou(a[5]))
		if only == opMove {
			return
		}
		b.ops = b.k
		if b.ops == 0 {
			b.ops = 1
		}
		if (only < opRunDue || only == opArmReuse) && b.k > b.n/5 {
			fmt.Fprintln(os.Stderr, "callgrind mode: K must be <= N/5")
			os.Exit(2)
		}
	}
	if b.n < 10 || b.ops == 0 {
		usage()
	}
	b.b = b.n / 10
	if b.b < 1 {
		b.b = 1
	}
	if b.b > b.ops {
		b.b = b.ops
	}
	b.draw = b.b
	if b.cg {
		// the setup must not depend on k
		b.b = b.ops
		b.draw = b.n / 5
	}
	b.t = make([]*time.Timer, b.n)
	b.off = make([]int64, b.n)
	b.rel = make([]int64, max32(b.b, b.draw))
	b.perm = make([]uint32, b.n)
	for i := range b.perm {
		b.perm[i] = uint32(i)
	}
	s := b.stream(0)
	for i := range b.off {
		b.off[i] = int64(xorshift(&s) % uint64(hourNs))
	}
	if !b.cg || only < opRunDue || only == opArmReuse {
		for i := range b.t {
			b.t[i] = time.AfterFunc(time.Duration(hourNs+b.off[i]), fireCb)
		}
	}
	runtime.GC()
	if b.cg {
		b.run(only)
		os.Exit(0)
	}
	b.ovh = clockOverhead()
	fmt.Printf("I,go,clock_overhead_ns,%d\n", b.ovh)
	fmt.Printf("I,go,version,%s\n", runtime.Version())
	order := []int{opArm, opArmReuse, opModLater, opModEarlier, opStop,
		opStopRearm, opRunDue, opChurnRun, opRunDueChan}
	// NB_GO_SKIP=op,op: report these as skipped (-3); see native-bench.sh
	skip := "," + os.Getenv("NB_GO_SKIP") + ","
	for _, op := range order {
		if strings.Contains(skip, ","+opKeys[op]+",") {
			fmt.Printf("R,%s,%d,go,-3\n", opKeys[op], b.n)
			continue
		}
		if op == opRunDue {
			// fire tests: only the fire timers in the heap
			for _, t := range b.t {
				t.Stop()
			}
			runtime.Gosched()
		}
		v := b.run(op)
		fmt.Printf("R,%s,%d,go,%.1f\n", opKeys[op], b.n, v)
	}
}
