package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Number is the value of the numeric key at path ("groups.collars.count",
// "random_access.ce.0.periodicity", as --set names keys): its value (a
// duration in seconds) and whether the key takes integers only. A path
// that names no key, or a key that is not a number or a duration, is an
// error that says which.
func (s *Scenario) Number(path string) (v float64, integer bool, err error) {
	cur := reflect.ValueOf(s).Elem()
	for i, seg := range strings.Split(path, ".") {
		at := strings.Join(strings.Split(path, ".")[:i+1], ".")
		for cur.Kind() == reflect.Pointer {
			if cur.IsNil() {
				return 0, false, fmt.Errorf("%s: not set in the scenario", at)
			}
			cur = cur.Elem()
		}
		switch cur.Kind() {
		case reflect.Struct:
			f, ok := lookupField(fieldsOf(cur.Type()), seg)
			if !ok {
				return 0, false, fmt.Errorf("%s: unknown key (allowed: %s)", at, fieldNames(fieldsOf(cur.Type())))
			}
			cur = cur.Field(f.index)
		case reflect.Map:
			e := cur.MapIndex(reflect.ValueOf(seg))
			if !e.IsValid() {
				return 0, false, fmt.Errorf("%s: no %q in the scenario", at, seg)
			}
			cur = e
		case reflect.Slice:
			k, err := strconv.Atoi(seg)
			if err != nil || k < 0 || k >= cur.Len() {
				return 0, false, fmt.Errorf("%s: want an index 0..%d", at, cur.Len()-1)
			}
			cur = cur.Index(k)
		default:
			return 0, false, fmt.Errorf("%s: %s has no keys", at, strings.Join(strings.Split(path, ".")[:i], "."))
		}
	}
	for cur.Kind() == reflect.Pointer && !cur.IsNil() {
		cur = cur.Elem()
	}
	if cur.Type() == durationType {
		return Duration(cur.Int()).Seconds(), false, nil
	}
	switch cur.Kind() {
	case reflect.Int, reflect.Int64:
		return float64(cur.Int()), true, nil
	case reflect.Uint64:
		return float64(cur.Uint()), true, nil
	case reflect.Float64:
		return cur.Float(), false, nil
	}
	return 0, false, fmt.Errorf("%s: not a number (%s)", path, cur.Type())
}
