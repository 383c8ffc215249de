package asl

import "github.com/stepwise-run/stepwise/value"

// distributedOnly are the Map fields only a DISTRIBUTED Map accepts.
var distributedOnly = []string{"ItemReader", "ItemBatcher", "ResultWriter",
	"ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
	"ToleratedFailureCount", "ToleratedFailureCountPath", "Label"}

var processorConfigFields = setOf("Mode", "ExecutionType")

// mapState checks a Map state.
func (v *validator) mapState(s *State, jsonata bool) {
	raw, loc := s.Raw, s.Location
	// AWS's wording for these two is not recorded; they follow its style.
	v.exclusive(raw, loc, "ItemProcessor", "Iterator")
	v.exclusive(raw, loc, "ItemSelector", "Parameters")
	v.exclusive(raw, loc, "MaxConcurrency", "MaxConcurrencyPath")
	v.exclusive(raw, loc, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath")
	v.exclusive(raw, loc, "ToleratedFailureCount", "ToleratedFailureCountPath")

	distributed := false
	for _, field := range []string{"ItemProcessor", "Iterator"} {
		p, ok := raw.Get(field)
		if !ok {
			continue
		}
		po, ok := p.(*value.Object)
		if !ok {
			continue // reported by Parse
		}
		pc, ok := po.Get("ProcessorConfig")
		if !ok {
			continue
		}
		pco, ok := pc.(*value.Object)
		if !ok {
			continue // reported by Parse
		}
		ploc := at(at(loc, field), "ProcessorConfig")
		v.unsupported(pco, ploc, processorConfigFields)
		mode, _ := v.oneOf(pco, "Mode", ploc, "INLINE", "DISTRIBUTED")
		v.oneOf(pco, "ExecutionType", ploc, Standard, Express)
		if mode == "DISTRIBUTED" {
			distributed = true
			if !pco.Has("ExecutionType") {
				v.schema(ploc, "The field 'ExecutionType' is required but was missing")
			}
		}
	}
	if !distributed {
		for _, f := range distributedOnly {
			if raw.Has(f) {
				// AWS's wording is not recorded; this follows its style.
				v.schema(loc, "The field '%s' is only supported for a Map state in DISTRIBUTED mode", f)
			}
		}
	}

	v.integerField(raw, "MaxConcurrency", loc, 0, maxSeconds, jsonata)
	v.integerField(raw, "ToleratedFailureCount", loc, 0, maxSeconds, jsonata)
	if p, ok := raw.Get("ToleratedFailurePercentage"); ok {
		switch x := p.(type) {
		case float64:
			if x < 0 || x > 100 {
				// AWS's wording is not recorded; this follows its style.
				v.schema(at(loc, "ToleratedFailurePercentage"), "The value for the field 'ToleratedFailurePercentage' must be between 0 and 100")
			}
		case string:
			if !jsonata || !isJSONataString(x) {
				v.schema(at(loc, "ToleratedFailurePercentage"), "Expected value of type [NUMBER]")
			}
		default:
			v.schema(at(loc, "ToleratedFailurePercentage"), "Expected value of type [NUMBER]")
		}
	}
	if jsonata {
		if it, ok := raw.Get("Items"); ok {
			if str, isString := it.(string); isString && !isJSONataString(str) {
				// AWS's wording is not recorded; this follows its style.
				v.schema(at(loc, "Items"), "The value for the field 'Items' must be an ARRAY or a JSONata expression")
			} else if _, isObject := it.(*value.Object); isObject || (!isString && !isArray(it)) {
				v.schema(at(loc, "Items"), "The value for the field 'Items' must be an ARRAY or a JSONata expression")
			}
		}
	}
	if l, ok := raw.Get("Label"); ok {
		if ls, ok := l.(string); ok {
			v.label(ls, at(loc, "Label"))
		}
	}
	v.mapResource(raw, loc, "ItemReader", jsonata)
	v.mapResource(raw, loc, "ResultWriter", jsonata)
	if b, ok := raw.Get("ItemBatcher"); ok {
		if bo, ok := b.(*value.Object); ok {
			bloc := at(loc, "ItemBatcher")
			v.unsupported(bo, bloc, setOf("MaxItemsPerBatch", "MaxItemsPerBatchPath",
				"MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"))
			v.integerField(bo, "MaxItemsPerBatch", bloc, 0, maxSeconds, jsonata)
			v.integerField(bo, "MaxInputBytesPerBatch", bloc, 0, 262144, jsonata)
			if in, ok := bo.Get("BatchInput"); ok && !jsonata {
				v.template(in, at(bloc, "BatchInput"))
			}
		}
	}
}

func isArray(v any) bool {
	_, ok := v.([]any)
	return ok
}

// mapResource checks an ItemReader or ResultWriter: its fields, its
// Resource and its Parameters (JSONPath) or Arguments (JSONata).
func (v *validator) mapResource(raw *value.Object, loc, field string, jsonata bool) {
	r, ok := raw.Get(field)
	if !ok {
		return
	}
	ro, ok := r.(*value.Object)
	if !ok {
		return // reported by Parse
	}
	rloc := at(loc, field)
	allowed := setOf("Resource", "Parameters", "Arguments", "ReaderConfig")
	if field == "ResultWriter" {
		allowed = setOf("Resource", "Parameters", "Arguments", "WriterConfig")
	}
	for k := range ro.All() {
		switch {
		case !allowed[k]:
			v.schema(rloc, "Field '%s' is not supported", k)
		case jsonata && k == "Parameters":
			v.schema(rloc, "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' QueryLanguage", k)
		case !jsonata && k == "Arguments":
			v.schema(rloc, "The QueryLanguage is set to 'JSONPath', but field '%s' is only supported for the 'JSONata' QueryLanguage", k)
		}
	}
	if field == "ItemReader" {
		v.required(ro, rloc, "Resource")
	}
	if res, ok := ro.Get("Resource"); ok {
		if rs, ok := res.(string); ok {
			v.resource(rs, at(rloc, "Resource"))
		}
	}
	if p, ok := ro.Get("Parameters"); ok && !jsonata {
		v.template(p, at(rloc, "Parameters"))
	}
}
