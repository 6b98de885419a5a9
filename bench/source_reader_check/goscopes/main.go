// Command goscopes prints, for each Go file named on the command line, the scopes go/ast finds:
// functions, function literals, blocks ({…}) and case/select alternatives, each with its extent
// and whether its last statement never falls through; and the extent of every defer statement.
// One JSON object per file (0-based columns, byte offsets within the line, as dlanalyze's reader
// counts them); "micros" is the time spent parsing and walking it.
package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"time"
)

type scope struct {
	Kind       string `json:"kind"` // func, lit, block, alt
	Name       string `json:"name,omitempty"`
	SL         int    `json:"sl"`
	SC         int    `json:"sc"`
	EL         int    `json:"el"`
	EC         int    `json:"ec"`
	Terminates bool   `json:"terminates,omitempty"`
}

type result struct {
	File   string  `json:"file"`
	Error  string  `json:"error,omitempty"`
	Scopes []scope `json:"scopes"`
	Defers []scope `json:"defers"`
	Micros float64 `json:"micros"`
}

// The calls after which a Go statement list never falls through (dlanalyze's table, kTerminating).
var terminatingCalls = map[string]bool{"panic": true, "os.Exit": true, "log.Fatal": true,
	"log.Fatalf": true, "log.Fatalln": true, "runtime.Goexit": true, "t.Fatal": true, "t.Fatalf": true}

func terminates(list []ast.Stmt) bool {
	if len(list) == 0 {
		return false
	}
	switch s := list[len(list)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.CONTINUE || s.Tok == token.GOTO
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok {
			name := exprName(call.Fun)
			return terminatingCalls[name]
		}
	}
	return false
}

func exprName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprName(x.X) + "." + x.Sel.Name
	}
	return ""
}

func main() {
	enc := json.NewEncoder(os.Stdout)
	for _, path := range os.Args[1:] {
		start := time.Now()
		fset := token.NewFileSet()
		r := result{File: path, Scopes: []scope{}, Defers: []scope{}}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			r.Error = err.Error()
		}
		mk := func(kind, name string, from, to token.Pos) scope {
			a, b := fset.Position(from), fset.Position(to)
			return scope{Kind: kind, Name: name, SL: a.Line, SC: a.Column - 1, EL: b.Line, EC: b.Column - 1}
		}
		if f != nil {
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.FuncDecl:
					if x.Body != nil {
						r.Scopes = append(r.Scopes, mk("func", x.Name.Name, x.Pos(), x.Body.Rbrace))
					}
				case *ast.FuncLit:
					r.Scopes = append(r.Scopes, mk("lit", "", x.Pos(), x.Body.Rbrace))
				case *ast.BlockStmt:
					s := mk("block", "", x.Lbrace, x.Rbrace)
					s.Terminates = terminates(x.List)
					r.Scopes = append(r.Scopes, s)
				case *ast.CaseClause:
					s := mk("alt", "", x.Pos(), x.End())
					s.Terminates = terminates(x.Body)
					r.Scopes = append(r.Scopes, s)
				case *ast.CommClause:
					s := mk("alt", "", x.Pos(), x.End())
					s.Terminates = terminates(x.Body)
					r.Scopes = append(r.Scopes, s)
				case *ast.DeferStmt:
					r.Defers = append(r.Defers, mk("defer", strings.TrimSpace(exprName(x.Call.Fun)), x.Pos(), x.End()))
				}
				return true
			})
		}
		r.Micros = float64(time.Since(start).Nanoseconds()) / 1000
		enc.Encode(r)
	}
}
