package main

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// message is one descOf[M] variable as read from the source.
type message struct {
	Var     string // the descriptor variable, e.g. attachRequestDesc
	Struct  string // M
	TypeSrc string // the Type expression, e.g. TypeAttachRequest ("" if none)
	Type    int64  // its value
	Name    string
	Custom  bool
	IEs     []ie
	st      *types.Struct
	pkg     *types.Package
	ptrType types.Type // *M
}

type ie struct {
	IEI      int64
	Name     string
	Format   string // FormatV, ...
	Presence string // Mandatory, ...
	Len      int64
	Field    string
	typ      types.Type // the field's type (nil for a spare half octet)
}

// generated reports whether f's first line says it is generated.
func generated(f *ast.File) bool {
	for _, c := range f.Comments {
		if c.Pos() > f.Package {
			break
		}
		for _, l := range c.List {
			if strings.HasPrefix(l.Text, "// Code generated ") && strings.HasSuffix(l.Text, " DO NOT EDIT.") {
				return true
			}
		}
	}
	return false
}

// load type-checks the hand-written files of the package in dir (errors
// are ignored: the generated file is left out, and imports are not
// resolved) and returns its messages in source order.
func load(dir string) ([]*message, error) {
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, n, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if !generated(f) {
			files = append(files, f)
		}
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: fakeImporter{}, Error: func(error) {}}
	pkg, _ := conf.Check("github.com/nbsim/nbsim/epc/nas", fset, files, info)
	var msgs []*message
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				if len(vs.Values) != 1 {
					continue
				}
				lit, ok := vs.Values[0].(*ast.CompositeLit)
				if !ok {
					continue
				}
				ix, ok := lit.Type.(*ast.IndexExpr)
				if !ok || !isIdent(ix.X, "descOf") {
					continue
				}
				m, err := readMessage(fset, info, pkg, vs.Names[0].Name, ix, lit)
				if err != nil {
					return nil, err
				}
				msgs = append(msgs, m)
			}
		}
	}
	if len(msgs) == 0 {
		return nil, fmt.Errorf("%s: no descOf lists", dir)
	}
	return msgs, nil
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func readMessage(fset *token.FileSet, info *types.Info, pkg *types.Package, v string, ix *ast.IndexExpr, lit *ast.CompositeLit) (*message, error) {
	id, ok := ix.Index.(*ast.Ident)
	if !ok {
		return nil, fmt.Errorf("%s: descOf of a non-local type", v)
	}
	m := &message{Var: v, Struct: id.Name, pkg: pkg}
	obj := pkg.Scope().Lookup(id.Name)
	if obj == nil {
		return nil, fmt.Errorf("%s: no type %s", v, id.Name)
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		return nil, fmt.Errorf("%s: %s is not a struct", v, id.Name)
	}
	m.st, m.ptrType = st, types.NewPointer(obj.Type())
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("%s: unkeyed field", v)
		}
		switch key := kv.Key.(*ast.Ident).Name; key {
		case "Type":
			m.TypeSrc = exprString(kv.Value)
			m.Type = intValue(info, kv.Value)
		case "Name":
			m.Name = stringValue(info, kv.Value)
		case "Custom":
			m.Custom = isIdent(kv.Value, "true")
		case "Dir":
		case "IEs":
			l, ok := kv.Value.(*ast.CompositeLit)
			if !ok {
				return nil, fmt.Errorf("%s: IEs is not a literal", v)
			}
			for _, el := range l.Elts {
				e, err := readIE(info, el)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %v", v, fset.Position(el.Pos()), err)
				}
				if e.Field != "" {
					f, _, _ := types.LookupFieldOrMethod(obj.Type(), true, pkg, e.Field)
					if f == nil {
						return nil, fmt.Errorf("%s: %s has no field %s", v, m.Struct, e.Field)
					}
					e.typ = f.Type()
				}
				m.IEs = append(m.IEs, e)
			}
		default:
			return nil, fmt.Errorf("%s: unknown key %s", v, key)
		}
	}
	return m, nil
}

func readIE(info *types.Info, el ast.Expr) (ie, error) {
	var e ie
	l, ok := el.(*ast.CompositeLit)
	if !ok {
		return e, fmt.Errorf("IE is not a literal")
	}
	for _, x := range l.Elts {
		kv, ok := x.(*ast.KeyValueExpr)
		if !ok {
			return e, fmt.Errorf("unkeyed IE field")
		}
		switch key := kv.Key.(*ast.Ident).Name; key {
		case "IEI":
			e.IEI = intValue(info, kv.Value)
		case "Name":
			e.Name = stringValue(info, kv.Value)
		case "Format":
			e.Format = exprString(kv.Value)
		case "Presence":
			e.Presence = exprString(kv.Value)
		case "Len":
			e.Len = intValue(info, kv.Value)
		case "Field":
			e.Field = stringValue(info, kv.Value)
		default:
			return e, fmt.Errorf("unknown IE key %s", key)
		}
	}
	return e, nil
}

func exprString(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return types.ExprString(e)
}

func intValue(info *types.Info, e ast.Expr) int64 {
	v, _ := constant.Int64Val(info.Types[e].Value)
	return v
}

func stringValue(info *types.Info, e ast.Expr) string {
	if v := info.Types[e].Value; v != nil && v.Kind() == constant.String {
		return constant.StringVal(v)
	}
	return ""
}

// fakeImporter gives every import as an empty package: the generator only
// needs the types the package declares itself.
type fakeImporter struct{}

func (fakeImporter) Import(path string) (*types.Package, error) {
	p := types.NewPackage(path, filepath.Base(path))
	p.MarkComplete()
	return p, nil
}
