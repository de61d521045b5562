package device

import (
	"reflect"
	"testing"

	"github.com/nbsim/nbsim/sim"
)

// TestQueues: FIFO order, the zero Queue empty, a slot freed when its
// queue empties and reused by the next, DropFront and Clear.
func TestQueues(t *testing.T) {
	var s Queues
	var a, b Queue
	if s.Len(a) != 0 || s.Times(a) != nil {
		t.Fatal("zero queue not empty")
	}
	s.Push(&a, 10)
	s.Push(&a, 20)
	s.Push(&b, 5)
	if a == b || s.Len(a) != 2 || s.Len(b) != 1 || s.At(a, 1) != 20 {
		t.Fatalf("a %d %v, b %d %v", a, s.Times(a), b, s.Times(b))
	}
	if x := s.PopFront(&a); x != 10 || s.Len(a) != 1 || s.At(a, 0) != 20 {
		t.Fatalf("PopFront %d, then %v", x, s.Times(a))
	}
	slotA := a
	if x := s.PopFront(&a); x != 20 || a != 0 {
		t.Fatalf("PopFront %d, queue %d (want empty, 0)", x, a)
	}
	var c Queue
	s.Push(&c, 7)
	if c != slotA || len(s.bufs) != 2 {
		t.Errorf("slot %d (want %d reused), %d slots (want 2)", c, slotA, len(s.bufs))
	}
	for _, v := range []sim.Time{8, 9, 11} {
		s.Push(&c, v)
	}
	s.DropFront(&c, 2)
	if got := s.Times(c); !reflect.DeepEqual(got, []sim.Time{9, 11}) {
		t.Errorf("after DropFront 2: %v, want [9 11]", got)
	}
	s.DropFront(&c, 5)
	s.Clear(&b)
	if c != 0 || b != 0 || len(s.free) != 2 {
		t.Errorf("c %d, b %d, free %v: want both empty, 2 free slots", c, b, s.free)
	}
}

// TestUEHasNoPointers: a million UEs are one block the garbage collector
// does not scan (and 40 bytes a device smaller than with two slices).
func TestUEHasNoPointers(t *testing.T) {
	var walk func(reflect.Type) bool
	walk = func(ty reflect.Type) bool {
		switch ty.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.String, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
			return true
		case reflect.Struct:
			for i := range ty.NumField() {
				if walk(ty.Field(i).Type) {
					t.Errorf("UE field %s holds a pointer", ty.Field(i).Name)
					return true
				}
			}
		case reflect.Array:
			return walk(ty.Elem())
		}
		return false
	}
	walk(reflect.TypeFor[UE]())
}
