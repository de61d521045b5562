package model

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/nbsim/nbsim/device"
	"github.com/nbsim/nbsim/epc"
	"github.com/nbsim/nbsim/mac"
	"github.com/nbsim/nbsim/phy"
	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sim"
)

// cell is one sector of a site.
type cell struct {
	name    string
	site    int
	x, y    float64
	azimuth float64 // degrees; NaN for omni
	ul, dl  *mac.Carrier

	// ulb: other cells' NPUSCH transmissions as this cell receives them,
	// and its own until their outcome (the interference they meet).
	ulb ulBook
	// Link adaptation's interference estimate: other cells' NPUSCH, a
	// decaying average of received power (mW per 15 kHz) with time
	// constant iotTau.
	iLin  float64
	iTime int64

	pruneAt sim.Time  // next time the carriers drop their past (prune)
	msg4    []slot    // downlink slots held for Msg4, by device (holdMsg4)
	pages   int64     // pages sent on this carrier (page)
	pagesAt []pageMsg // paging messages booked for POs ahead (bookPage)

	devices   int64
	preambles int64
	collided  int64
	iot       report.DBHist // NPRACH interference over thermal, dB, per (occasion, hopping group) received
	blocked   int64         // of those, the ones above the receiver's blocking level
	npuschIoT report.DBHist // interference over thermal met by each NPUSCH transmission, dB
}

// ceParams is one CE level's derived random-access timing.
type ceParams struct {
	occ         mac.Occasions
	nPreambles  int
	firstPre    int // first start subcarrier (subcarrier offset)
	hopGroups   int // groups of 12 subcarriers a preamble hops within (TS 36.211 §10.1.6.1)
	reps        int
	maxAttempts int
	pdcch       time.Duration // NPDCCH search-space period Rmax·G
	ssOffset    time.Duration // search-space offset α_offset·Rmax·G
	rmax        int
	rarWindow   time.Duration
	crTimer     time.Duration
	puschReps   int
	pdschReps   int
}

// group is a device population's resolved parameters.
type group struct {
	name   string
	cfg    *scenarios.Group
	first  int32 // first device index
	count  int32
	gfirst int32 // first device index in the whole network (first, unless the network is a shard)
	prof   device.Profile
	batt   device.Battery
	dc     device.Config // the devices' granted timers, RRC settings and mode powers
	edrx   epc.EDRXGrant
	cp     bool   // control-plane data path
	size   *sizer // report payloads from a distribution (nil: Report.UplinkBytes)
	stats  groupStats
}

// Network is a built scenario, ready to run.
type Network struct {
	sc                         *scenarios.Scenario
	seed                       uint64
	eng                        *sim.Engine
	end                        sim.Time
	cells                      []cell
	nonAnchor                  []cell  // the non-anchor carriers' books, by cell·(carriers-1) + carrier-1 (on)
	carriers                   int     // carriers per cell, the anchor first (radio.carriers)
	pAnchor                    float64 // probability of the anchor's NPRACH (radio.nprach_probability_anchor)
	pagingW                    []int   // paging weight per carrier (radio.paging_weights), nil: w1 each
	groups                     []*group
	ues                        []ue
	ce                         []ceParams
	lte                        bool
	resolv                     mac.ResolveConfig
	band                       phy.Band
	dep                        phy.Deployment
	sig                        epc.Signalling // typed message sizes
	sigs                       sigStats
	signal                     signaller // typed{} or the encoded core
	obs                        observer  // noObserver{} or the live driver's
	enc                        *encoded  // the encoded core (nil in typed signalling), for the live accessors
	encErr                     error     // the first error of the encoded core (ends the run)
	trace                      Tracer
	noise375, noise15          float64 // thermal noise, mW
	pl                         phy.PathLoss
	rng                        sim.Stream // network-side draws (detection, grants)
	occ                        occasions
	tot                        totals
	series                     []row
	res                        resources // per-cell, per-minute resource books (resources.go)
	onDur, cdrxCycle           time.Duration
	inact                      time.Duration
	sigDelay, ueProc, srvDelay time.Duration
	rarProc                    time.Duration
	pagingDRX                  time.Duration
	pagingRmax                 int   // npdcch-NumRepetitionPaging (rrc.npdcch_num_repetition_paging)
	pagingRs                   []int // its Type-1 repetition numbers (TS 36.213 Table 16.6-3)
	progress                   func(done, total float64)
	ctx                        context.Context // the running Run's, checked every simulated minute (onMinute) and between the hour-long engine runs
	live                       *liveState      // nil unless a live driver runs the network
	devDrops                   []uint32        // reports dropped, by device (nil until the first drop; geo.go)
	split                      *partition      // the clusters the network runs as (nil: one; partition.go)
	cl                         *clusterPart    // a cluster's side of the split (nil: not a cluster)
	shard                      *shard          // the shard of a sharded run the network is (nil: the whole; partition_shard.go)
	clusters                   []*Network      // the clusters of a split network's run
	events                     int64           // the clusters' events
	byKind                     [numKinds]int64 // events run, by kind (EventsByKind)

	// scratch
	scratchI     []float64 // NPRACH interference, mW per 3.75 kHz, by cell·maxHopGroups + hopping group
	scratchP     []float64 // total NPRACH power at each cell's receiver input, mW
	scratchG     []uint8   // hopping groups with a reception, by cell (bit mask)
	touched      []int32
	msg3Slot     sim.Time
	fx           [][]device.Effect // effect buffers of n.step, by depth
	depth        int
	la           *memo[[]phy.Transmission] // link adaptation by laKey (pure caches: a split run's workers have one each)
	radio        radioOpts                 // the radio options (linkcache.go)
	dci          *memo[time.Duration]      // NPDCCH airtime by dciKey
	legs         [5][2][]leg               // entry legs by purpose and data path (0 user plane, 1 control plane)
	placeWorkers int                       // goroutines placing devices (Build)
}

// Build resolves a validated scenario into a network. seed overrides the
// scenario's seed. It places the devices on every core (GOMAXPROCS).
func Build(sc *scenarios.Scenario, seed uint64) (*Network, error) {
	return build(sc, seed, nil, runtime.GOMAXPROCS(0))
}

// BuildWorkers is Build placing the devices on at most workers goroutines
// (nbsim run --workers); the network is the same for any number.
func BuildWorkers(sc *scenarios.Scenario, seed uint64, workers int) (*Network, error) {
	return build(sc, seed, nil, workers)
}

// BuildShard resolves shard index of count of a scenario (nbsim run
// --shard): its region's sites and their halo, with their devices only
// (partition_shard.go).
func BuildShard(sc *scenarios.Scenario, seed uint64, index, count int) (*Network, error) {
	return build(sc, seed, &shard{index: index, count: count}, 1)
}

func build(sc *scenarios.Scenario, seed uint64, sh *shard, workers int) (*Network, error) {
	n := &Network{sc: sc, seed: seed, eng: sim.New(), end: sim.Time(sc.Duration.D()), placeWorkers: workers,
		la: &memo[[]phy.Transmission]{}, dci: &memo[time.Duration]{}}
	n.rng = sim.NewStream(seed, "network", 0, "mac")
	n.sig = epc.Typed{}
	n.signal, n.obs = typed{}, noObserver{}
	r := sc.Radio
	var err error
	if n.band, err = phy.LookupBand(r.Band); err != nil {
		return nil, fmt.Errorf("radio.band: %w", err)
	}
	if n.dep, err = phy.ParseDeployment(r.Deployment); err != nil {
		return nil, fmt.Errorf("radio.deployment: %w", err)
	}
	if n.pl, err = phy.NewPathLoss(r.PathLoss, r.EnbHeightM, r.UeHeightM); err != nil {
		return nil, fmt.Errorf("radio.pathloss: %w", err)
	}
	n.radio = newRadioOpts(&r)
	n.noise375 = dbmToMW(phy.ThermalNoiseDbm(3750, r.EnbNoiseFigureDb))
	n.noise15 = dbmToMW(phy.ThermalNoiseDbm(15000, r.EnbNoiseFigureDb))
	ra := sc.RandomAccess
	n.lte = ra.Mode == "lte"
	n.resolv = mac.ResolveConfig{CaptureDb: r.CaptureThresholdDb, Grants: ra.GrantsPerRAR}
	if ra.CollisionHandling == "undetected" {
		n.resolv.Handling = mac.Undetected
	}
	rrc := sc.RRC
	n.inact = rrc.InactivityTimer.D()
	n.onDur, n.cdrxCycle = rrc.CDRX.OnDuration.D(), rrc.CDRX.Cycle.D()
	n.sigDelay, n.ueProc = rrc.SignallingDelay.D(), rrc.UEProcessing.D()
	n.srvDelay = sc.Core.ServerDelay.D()
	n.rarProc = ra.RARProcessing.D()
	n.pagingDRX = rrc.DefaultPagingCycle.D()
	n.pagingRmax = rrc.NPDCCHNumRepetitionPaging
	rs, err := phy.NPDCCHType1Repetitions(n.pagingRmax)
	if err != nil {
		return nil, fmt.Errorf("rrc.npdcch_num_repetition_paging: %w", err)
	}
	n.pagingRs = rs

	// Random-access resources.
	ulShare := 0.0
	if n.lte {
		l := ra.LTE
		n.rarProc = l.PreambleProcessing.D()
		n.ce = []ceParams{{
			occ:         mac.Occasions{Period: l.OccasionPeriod.D(), Length: l.PreambleLength.D()},
			nPreambles:  l.Preambles,
			maxAttempts: l.MaxPreambleTx,
			rarWindow:   l.RARWindow.D(),
			crTimer:     l.CRTimer.D(),
			puschReps:   1, pdschReps: 1,
		}}
		// TR 37.868: up to GrantsPerRAR grants in each subframe of the window.
		n.resolv.Grants = l.GrantsPerRAR * int(l.RARWindow.D()/time.Millisecond)
	} else {
		for _, c := range ra.CE {
			pre := phy.PreambleDuration(c.Format, c.RepetitionsPerAttempt)
			pd := mac.PDCCHPeriod(c.NPDCCHNumRepetitionsRA, c.NPDCCHStartSFCSSRA)
			np := c.NumSubcarriers
			if c.NumCBRAStart > 0 && c.NumCBRAStart < np {
				np = c.NumCBRAStart
			}
			n.ce = append(n.ce, ceParams{
				occ:         mac.Occasions{Period: c.Periodicity.D(), Start: c.StartTime.D(), Length: pre},
				nPreambles:  np,
				firstPre:    c.SubcarrierOffset,
				hopGroups:   max(1, c.NumSubcarriers/nprachHopGroup),
				reps:        c.RepetitionsPerAttempt,
				maxAttempts: c.MaxNumPreambleAttemptCE,
				pdcch:       pd,
				ssOffset:    time.Duration(c.NPDCCHOffsetRA * float64(pd)),
				rmax:        c.NPDCCHNumRepetitionsRA,
				rarWindow:   time.Duration(c.RAResponseWindowSize) * pd,
				crTimer:     time.Duration(c.MacContentionResolutionTimer) * pd,
				puschReps:   c.NPUSCHMaxRepetitions,
				pdschReps:   c.NPDSCHMaxRepetitions,
			})
			// NPRACH takes NumSubcarriers × 3.75 kHz of the 180 kHz carrier for
			// the preamble length of every period (TS 36.211 §10.1.6).
			ulShare += float64(c.NumSubcarriers) * 3750 / 180000 * math.Min(1, pre.Seconds()/c.Periodicity.D().Seconds())
		}
	}
	ulStretch := 1 / math.Max(0.05, 1-ulShare)
	dlStretch := 1 / math.Max(0.05, phy.DLAvailableFraction(8))

	// Cells.
	for si, s := range sc.Sites() {
		sec := s.Sectors
		if sec < 1 {
			sec = 1
		}
		for k := 0; k < sec; k++ {
			az := math.NaN()
			name := s.Name
			if sec > 1 {
				az = s.SectorAzimuth(k, sec)
				name = fmt.Sprintf("%s/%d", s.Name, k+1)
			}
			n.cells = append(n.cells, cell{
				name: name, site: si, x: s.XM, y: s.YM, azimuth: az,
				ul: mac.NewCarrier(12*n.radio.ulLaneScale, ulStretch), dl: mac.NewCarrier(1, dlStretch),
			})
			n.cells[len(n.cells)-1].ul.SetFirstLane(ulFirstLane(k, sec, 12*n.radio.ulLaneScale))
		}
	}
	if len(n.cells) == 0 {
		return nil, fmt.Errorf("sites: no cells")
	}
	if err := n.buildCarriers(ulStretch); err != nil {
		return nil, err
	}
	if len(n.cells) > math.MaxInt32 {
		return nil, fmt.Errorf("sites: too many cells")
	}

	// Groups and devices, in sorted group order so results never depend on
	// map iteration.
	total := 0
	for _, name := range sc.GroupNames() {
		total += sc.Groups[name].Count
	}
	if sh != nil {
		if err := n.selectShard(sh); err != nil {
			return nil, err
		}
		n.ues = make([]ue, 0, sh.capacity(n, total))
	} else {
		n.ues = make([]ue, total)
	}
	n.series = make([]row, int(sc.Duration.D()/time.Minute)+1)
	idx := int32(0)
	for _, name := range sc.GroupNames() {
		g, err := n.buildGroup(name, sc.Groups[name], idx)
		if err != nil {
			return nil, err
		}
		n.groups = append(n.groups, g)
		if err := n.placeGroup(g); err != nil {
			return nil, err
		}
		idx += int32(g.cfg.Count)
		n.shard.closeGroup(n, g)
	}
	if sc.Signalling == "encoded" {
		if n.enc, err = newEncoded(n); err != nil {
			return nil, err
		}
		n.signal = n.enc
	}
	if n.shard == nil {
		n.split = n.newPartition()
	}
	return n, nil
}

func (n *Network) buildGroup(name string, gc *scenarios.Group, first int32) (*group, error) {
	p := gc.Power
	g := &group{
		name: name, cfg: gc, first: first, count: int32(gc.Count), gfirst: first,
		prof: device.Profile{
			BaselineMW: p.BaselineMW, PSMMW: p.PSMMW, IdleSleepMW: p.IdleSleepMW,
			PagingOccasionMJ: p.PagingOccasionMJ, ReceiveMW: p.ReceiveMW,
			ConnectedMonitorMW: p.ConnectedMonitorMW, CDRXSleepMW: p.CDRXSleepMW,
			TxBaseMW: p.TxBaseMW, PAEfficiency: p.PAEfficiency,
			FlatTxMW: flatTx(p),
		},
		batt: device.Battery{CapacityMAh: gc.Battery.CapacityMAh, VoltageV: gc.Battery.VoltageV,
			SelfDischargePerYear: gc.Battery.SelfDischargePerYear, UsableFraction: gc.Battery.UsableFraction},
		cp: gc.DataPath != "user-plane",
	}
	if gc.Report.UplinkSize != nil {
		g.size = newSizer(n.seed, name, gc.Report.UplinkSize, gc.Count)
	}
	core := n.sc.Core
	pol, err := epc.ParsePolicy(core.PSM.Policy)
	if err != nil {
		return nil, fmt.Errorf("core.psm.policy: %w", err)
	}
	psm := epc.PSMPolicy{Policy: pol, T3324Min: core.PSM.Min.D(), T3324Max: core.PSM.Max.D(),
		T3412Min: core.PSM.T3412Min.D(), T3412Max: core.PSM.T3412Max.D()}.
		GrantPSM(epc.PSMRequest{Enabled: gc.PSM.Enabled, T3324: gc.PSM.T3324.D(), T3412: gc.PSM.T3412.D()})
	epol, err := epc.ParsePolicy(core.EDRX.Policy)
	if err != nil {
		return nil, fmt.Errorf("core.edrx.policy: %w", err)
	}
	g.edrx = epc.EDRXPolicy{Policy: epol, Min: core.EDRX.Min.D(), Max: core.EDRX.Max.D()}.
		GrantEDRX(epc.EDRXRequest{Enabled: gc.EDRX.Enabled, Cycle: gc.EDRX.Cycle.D(), PTW: gc.EDRX.PTW.D()})
	reach := epc.Reach{DRX: n.pagingDRX}
	if g.edrx.Enabled {
		reach.EDRX, reach.PTW = g.edrx.Cycle, g.edrx.PTW
	}
	rrc := n.sc.RRC
	g.dc = device.Config{
		PSM: psm.Enabled, T3324: psm.T3324, T3412: psm.T3412,
		AutoRAI: gc.RAI, HonourRAI: rrc.HonourRAI, Inactivity: n.inact,
		CDRX: rrc.CDRX.Enabled, DRXInactivity: rrc.CDRX.InactivityTimer.D(),
		BufferTime: core.MTBufferTime.D(), BufferMax: core.MTBufferPackets,
		Power: device.Powers{
			PSM: g.prof.PSMMW, Idle: g.prof.IdleMW(reach.PagingOccasionsPerSecond()),
			Sleep: g.prof.IdleSleepMW, Connected: g.prof.ConnectedMonitorMW,
			CDRX: g.prof.CDRXMW(n.onDur, n.cdrxCycle),
		},
	}
	return g, nil
}

// psmGrant is the group's PSM grant.
func (g *group) psmGrant() epc.PSMGrant {
	return epc.PSMGrant{Enabled: g.dc.PSM, T3324: g.dc.T3324, T3412: g.dc.T3412}
}

// placeGroup draws positions and computes each device's serving cell,
// coupling loss, CE level and strongest interfered cells; with a coverage
// section the coupling loss comes from planning data instead (placeCoverage).
func (n *Network) placeGroup(g *group) error {
	if g.cfg.Coverage != nil {
		return n.placeCoverage(g)
	}
	pl, err := n.newPlacer(g)
	if err != nil {
		return err
	}
	if w := min(n.placeWorkers, g.cfg.Count/placeChunk); n.shard == nil && w > 1 {
		n.placeParallel(g, pl, w)
		return nil
	}
	for i := int32(0); i < int32(g.cfg.Count); i++ {
		u := n.initUE(g, i)
		n.placeUE(u, g, pl, i)
		n.cells[u.cell].devices++
		n.shard.keep(n, u, g, i)
	}
	return nil
}

// placeChunk is how many devices a placing goroutine takes at a time.
const placeChunk = 4096

// placeParallel places g's devices on a sim.Gang of w goroutines, chunk by
// chunk. Each device's draws come from its own streams and its placement
// writes its own slot only, so the devices are the same as placed one by
// one; the cells' device counts are added afterwards. A panic while
// placing reaches the caller (the gang's), as it would placing serially.
func (n *Network) placeParallel(g *group, pl *placer, w int) {
	count := g.cfg.Count
	pls := make([]*placer, w)
	pls[0] = pl
	for k := 1; k < w; k++ {
		pls[k], _ = n.newPlacer(g) // scratch of its own (the first one's error was checked)
	}
	gang := sim.NewGang(w)
	defer gang.Close()
	gang.Run((count+placeChunk-1)/placeChunk, func(wk, c int) {
		for i := c * placeChunk; i < min((c+1)*placeChunk, count); i++ {
			n.placeUE(n.initUE(g, int32(i)), g, pls[wk], int32(i))
		}
	})
	for i := g.first; i < g.first+int32(count); i++ {
		n.cells[n.ues[i].cell].devices++
	}
}

// placeUE draws device i's position and penetration loss from its
// placement stream and serves it from the best cell (serveNearest).
func (n *Network) placeUE(u *ue, g *group, pl *placer, i int32) {
	place := sim.NewStream(n.seed, "group/"+g.name, uint64(i), "placement")
	x, y := pl.position(int(i), &place)
	pen := g.cfg.PenetrationLossDb + g.cfg.PenetrationStdDb*place.Norm()
	if pen < 0 {
		pen = 0
	}
	n.serveNearest(u, g, pl, i, x, y, pen)
}

// initUE sets up device i of g (the group being placed, the last one).
func (n *Network) initUE(g *group, i int32) *ue {
	var u *ue
	if n.shard != nil {
		u = n.shard.slot(n)
	} else {
		u = &n.ues[g.first+i]
	}
	u.group = uint16(len(n.groups) - 1)
	u.rng = sim.NewStream(n.seed, "group/"+g.name, uint64(i), "device")
	return u
}

// placer holds a group's geometry and the scratch of serveNearest.
type placer struct {
	pc                     *scenarios.Placement
	sites                  []scenarios.Site
	siteCells              [][]int
	cx, cy                 float64 // centre of disc, ring and rectangle
	minX, maxX, minY, maxY float64 // the sites' bounding box
	near                   []int
	dists                  []float64
	cands                  []cand
}

// cand is a candidate serving cell and the device's coupling loss to it.
type cand struct {
	cell int
	cl   float64
}

func (n *Network) newPlacer(g *group) (*placer, error) {
	sites := n.sc.Sites()
	pc := &g.cfg.Placement
	ci, err := n.placementSite(g)
	if err != nil {
		return nil, err
	}
	pl := &placer{pc: pc, sites: sites, cx: sites[ci].XM + pc.OffsetXM, cy: sites[ci].YM + pc.OffsetYM,
		minX: math.Inf(1), maxX: math.Inf(-1), minY: math.Inf(1), maxY: math.Inf(-1),
		near: make([]int, 0, len(sites)), dists: make([]float64, 0, len(sites)),
		siteCells: make([][]int, len(sites)), cands: make([]cand, 0, 32)}
	for _, s := range sites {
		pl.minX, pl.maxX = math.Min(pl.minX, s.XM), math.Max(pl.maxX, s.XM)
		pl.minY, pl.maxY = math.Min(pl.minY, s.YM), math.Max(pl.maxY, s.YM)
	}
	for c := range n.cells {
		pl.siteCells[n.cells[c].site] = append(pl.siteCells[n.cells[c].site], c)
	}
	if pc.Shape == "csv" && len(pc.Points) != g.cfg.Count {
		return nil, fmt.Errorf("groups.%s.placement.file: %d positions for %d devices (read the scenario with scenarios.Load or Parse)", g.name, len(pc.Points), g.count)
	}
	return pl, nil
}

// placementSite is the index of the group's placement site (the first site
// when none is named).
func (n *Network) placementSite(g *group) (int, error) {
	name := g.cfg.Placement.Site
	if name == "" {
		return 0, nil
	}
	ci := slices.IndexFunc(n.sc.Sites(), func(s scenarios.Site) bool { return s.Name == name })
	if ci < 0 {
		return 0, fmt.Errorf("groups.%s.placement.site: unknown site %q", g.name, name)
	}
	return ci, nil
}

// position draws device i's position from place (the order of the draws
// is part of the results: it must not change).
func (pl *placer) position(i int, place *sim.Stream) (x, y float64) {
	pc := pl.pc
	switch pc.Shape {
	case "ring":
		rr := math.Sqrt(pc.MinM*pc.MinM + place.Float64()*(pc.MaxM*pc.MaxM-pc.MinM*pc.MinM))
		a := 2 * math.Pi * place.Float64()
		return pl.cx + rr*math.Cos(a), pl.cy + rr*math.Sin(a)
	case "rectangle":
		x = pl.cx + (place.Float64()-0.5)*pc.WidthM
		y = pl.cy + (place.Float64()-0.5)*pc.HeightM
		return x, y
	case "per-site":
		s := pl.sites[i%len(pl.sites)]
		rr := pc.RadiusM * math.Sqrt(place.Float64())
		a := 2 * math.Pi * place.Float64()
		return s.XM + pc.OffsetXM + rr*math.Cos(a), s.YM + pc.OffsetYM + rr*math.Sin(a)
	case "area":
		x = pl.minX - pc.MarginM + place.Float64()*(pl.maxX-pl.minX+2*pc.MarginM)
		y = pl.minY - pc.MarginM + place.Float64()*(pl.maxY-pl.minY+2*pc.MarginM)
		return x, y
	case "csv":
		return pc.Points[i].XM, pc.Points[i].YM
	}
	// disc
	rr := pc.RadiusM * math.Sqrt(place.Float64())
	a := 2 * math.Pi * place.Float64()
	return pl.cx + rr*math.Cos(a), pl.cy + rr*math.Sin(a)
}

// serveNearest computes device i's coupling loss to the cells of the 7
// nearest sites (a site and its first ring) and serves it from the best,
// its two runners-up being the cells its uplink interferes with most.
func (n *Network) serveNearest(u *ue, g *group, pl *placer, i int32, x, y, pen float64) {
	r := &n.sc.Radio
	sites := pl.sites
	pl.near = pl.near[:0]
	pl.dists = pl.dists[:0]
	for s := range sites {
		pl.near = append(pl.near, s)
		pl.dists = append(pl.dists, math.Hypot(x-sites[s].XM, y-sites[s].YM))
	}
	near, dists := pl.near, pl.dists
	k := selectNearest(near, dists, 7)
	cands := pl.cands[:0]
	for a, s := range near[:k] {
		d := math.Max(dists[a], 1)
		// Shadowing is per (device, site): the sectors of a site share it.
		shs := sim.NewStream(n.seed, "shadow/"+g.name, uint64(i)<<16|uint64(s), "shadowing")
		sh := r.ShadowingStdDb * shs.Norm()
		base := n.pl.Loss(d, n.band.ULMHz) + sh + pen + r.EnbCableLossDb - r.EnbAntennaGainDbi - g.cfg.AntennaGainDbi
		bearing := math.Atan2(x-sites[s].XM, y-sites[s].YM) * 180 / math.Pi // from north, clockwise
		for _, c := range pl.siteCells[s] {
			cl := base
			if az := n.cells[c].azimuth; !math.IsNaN(az) {
				cl -= phy.SectorGainDb(bearing - az)
			}
			cands = append(cands, cand{c, cl})
		}
	}
	pl.cands = cands
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.cl < b.cl:
			return -1
		case a.cl > b.cl:
			return 1
		}
		return a.cell - b.cell
	})
	// No device is closer to an eNB antenna than the minimum coupling loss
	// (TR 36.942 macro deployment): the path-loss models, extrapolated to a
	// few metres, would put a preamble at a receiver tens of dB above
	// anything it can meet. The ranking (serving cell, neighbours) is the
	// unfloored one.
	for j := range u.nb {
		u.nb[j] = -1
		if j+1 < len(cands) {
			u.nb[j] = int32(cands[j+1].cell)
			u.nbcl[j] = float32(max(cands[j+1].cl, phy.MinCouplingLossDb))
		}
	}
	n.assign(u, cands[0].cell, max(cands[0].cl, phy.MinCouplingLossDb))
}

// selectNearest moves the k nearest sites (smallest dists, the first on
// a tie) to the front of near and dists, nearest first, and returns k (at
// most len(near)).
func selectNearest(near []int, dists []float64, k int) int {
	k = min(k, len(near))
	for a := 0; a < k; a++ {
		m := a
		for b := a + 1; b < len(near); b++ {
			if dists[b] < dists[m] {
				m = b
			}
		}
		near[a], near[m] = near[m], near[a]
		dists[a], dists[m] = dists[m], dists[a]
	}
	return k
}

// serve makes cell c the device's serving cell at coupling loss cl: its
// CE level from the NRSRP (TS 36.321 §5.1.1), out of coverage beyond the
// maximum coupling loss.
func (n *Network) serve(u *ue, c int, cl float64) {
	n.assign(u, c, cl)
	n.cells[c].devices++
}

// assign is serve without counting the device in its cell.
func (n *Network) assign(u *ue, c int, cl float64) {
	r := &n.sc.Radio
	u.cell = int32(c)
	u.cl = float32(cl)
	rsrp := phy.RSRPdBm(r.EnbTxPowerDbm, cl)
	ce := phy.CELevel(rsrp, r.CERSRPThresholdsDbm)
	if ce >= len(n.ce) {
		ce = len(n.ce) - 1
	}
	u.ceBase = uint8(ce)
	if cl > r.MaxCouplingLossDb {
		u.dev.Flags |= device.OutOfCoverage
	}
}

// dbmToMW converts dBm to mW (exp is several times cheaper than pow;
// phy.Exp, math.Exp within 4e-16, cheaper again).
func dbmToMW(dbm float64) float64 { return phy.Exp(dbm * (math.Ln10 / 10)) }
