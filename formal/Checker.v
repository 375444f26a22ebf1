(* The certificate checker and its soundness theorem (check_sound): whenever the checker
   accepts a certificate, the semantic statement of Robust.v holds.  The checker computes with
   Q, adding fractions of equal denominator by adding numerators (qplus) and normalising (Qred)
   otherwise, so that numbers stay small under vm_compute when the generator writes vectors over
   common denominators; qplus_correct (qplus x y == x + y) carries every result back to the
   plain definitions. *)
From Coq Require Import QArith Qabs Qreduction List Lia Lqa Psatz.
From RMDP Require Import Robust.
Import ListNotations.
Open Scope Q_scope.

(* ---------- computable pieces, each equal to its definition ---------- *)

Definition qplus (x y : Q) : Q :=
  if Z.eqb (Qnum y) 0 then x
  else if Z.eqb (Qnum x) 0 then y
  else if Pos.eqb (Qden x) (Qden y) then Qmake (Qnum x + Qnum y) (Qden x)
  else Qred (x + y).

Definition qminus (x y : Q) : Q :=
  if Pos.eqb (Qden x) (Qden y) then Qmake (Qnum x - Qnum y) (Qden x) else Qred (x - y).

Lemma qplus_correct x y : qplus x y == x + y.
Proof.
  destruct x as [a b], y as [c d]. unfold qplus; cbn [Qnum Qden].
  destruct (Z.eqb_spec c 0) as [->|Hc].
  { unfold Qeq, Qplus; cbn [Qnum Qden]. rewrite Pos2Z.inj_mul. ring. }
  destruct (Z.eqb_spec a 0) as [->|Ha].
  { unfold Qeq, Qplus; cbn [Qnum Qden]. rewrite Pos2Z.inj_mul. ring. }
  destruct (Pos.eqb_spec b d) as [<-|Hbd].
  - unfold Qeq, Qplus; cbn [Qnum Qden]. rewrite Pos2Z.inj_mul. ring.
  - apply Qred_correct.
Qed.

Lemma qminus_correct x y : qminus x y == x - y.
Proof.
  destruct x as [a b], y as [c d]. unfold qminus; cbn [Qnum Qden].
  destruct (Pos.eqb_spec b d) as [<-|Hbd].
  - unfold Qeq, Qminus, Qplus, Qopp; cbn [Qnum Qden]. rewrite Pos2Z.inj_mul. ring.
  - apply Qred_correct.
Qed.

Fixpoint sumr (x : list Q) : Q :=
  match x with [] => 0 | a :: x' => qplus a (sumr x') end.
Fixpoint dotr (x y : list Q) : Q :=
  match x, y with a :: x', b :: y' => qplus (a * b) (dotr x' y') | _, _ => 0 end.
Fixpoint l1distr (x y : list Q) : Q :=
  match x, y with a :: x', b :: y' => qplus (Qabs (a - b)) (l1distr x' y') | _, _ => 0 end.
Fixpoint sum_tor (f : nat -> Q) (n : nat) : Q :=
  match n with O => 0 | S n' => qplus (sum_tor f n') (f n') end.

Lemma sumr_sum x : sumr x == sum x.
Proof. induction x; cbn [sumr sum]; [reflexivity|]. rewrite qplus_correct, IHx. reflexivity. Qed.
Lemma dotr_dot x y : dotr x y == dot x y.
Proof.
  revert y; induction x as [|a x IH]; destruct y; cbn [dotr dot]; try reflexivity.
  rewrite qplus_correct, IH. reflexivity.
Qed.
Lemma l1distr_l1dist x y : l1distr x y == l1dist x y.
Proof.
  revert y; induction x as [|a x IH]; destruct y; cbn [l1distr l1dist]; try reflexivity.
  rewrite qplus_correct, IH. reflexivity.
Qed.
Lemma sum_to_ext f g n : (forall k, (k < n)%nat -> f k == g k) -> sum_to f n == sum_to g n.
Proof.
  induction n; intros H; cbn [sum_to]; [reflexivity|].
  rewrite IHn by (intros; apply H; lia). rewrite (H n) by lia. reflexivity.
Qed.
Lemma sum_tor_sum_to f n : sum_tor f n == sum_to f n.
Proof. induction n; cbn [sum_tor sum_to]; [reflexivity|]. rewrite qplus_correct, IHn. reflexivity. Qed.

(* x <= y and x == y, comparing numerators when the denominators agree (no big products). *)
Definition qle (x y : Q) : bool :=
  if Pos.eqb (Qden x) (Qden y) then Z.leb (Qnum x) (Qnum y) else Qle_bool x y.
Definition qeq (x y : Q) : bool :=
  if Pos.eqb (Qden x) (Qden y) then Z.eqb (Qnum x) (Qnum y) else Qeq_bool x y.

Lemma qle_iff x y : qle x y = true <-> x <= y.
Proof.
  destruct x as [a b], y as [c d]. unfold qle, Qle; cbn [Qnum Qden].
  destruct (Pos.eqb_spec b d) as [<-|Hbd]; [|apply Qle_bool_iff].
  rewrite Z.leb_le. split; intros H; [apply Z.mul_le_mono_pos_r; lia|].
  apply Z.mul_le_mono_pos_r in H; lia.
Qed.

Lemma qeq_iff x y : qeq x y = true <-> x == y.
Proof.
  destruct x as [a b], y as [c d]. unfold qeq, Qeq; cbn [Qnum Qden].
  destruct (Pos.eqb_spec b d) as [<-|Hbd]; [|apply Qeq_bool_iff].
  rewrite Z.eqb_eq. split; intros H; [subst; reflexivity|].
  apply Z.mul_cancel_r in H; lia.
Qed.

Definition qmax (x y : Q) : Q := if qle x y then y else x.

Fixpoint forallb2 {X Y} (f : X -> Y -> bool) (x : list X) (y : list Y) : bool :=
  match x, y with
  | [], [] => true
  | a :: x', b :: y' => f a b && forallb2 f x' y'
  | _, _ => false
  end.

Lemma forallb2_Forall2 {X Y} (f : X -> Y -> bool) (R : X -> Y -> Prop) :
  (forall a b, f a b = true -> R a b) ->
  forall x y, forallb2 f x y = true -> Forall2 R x y.
Proof.
  intros HR x; induction x as [|a x IH]; destruct y as [|b y]; simpl; intros H;
    try discriminate; constructor.
  - apply HR. apply andb_true_iff in H; tauto.
  - apply IH. apply andb_true_iff in H; tauto.
Qed.

Lemma forallb_seq (f : nat -> bool) n : forallb f (seq 0 n) = true -> forall i, (i < n)%nat -> f i = true.
Proof.
  intros H i Hi. rewrite forallb_forall in H. apply H. apply in_seq. lia.
Qed.

Lemma Qle_bool_true x y : Qle_bool x y = true -> x <= y.
Proof. apply Qle_bool_iff. Qed.
Lemma Qeq_bool_true x y : Qeq_bool x y = true -> x == y.
Proof. apply Qeq_bool_iff. Qed.

Ltac split_andb :=
  repeat match goal with
  | H : (_ && _)%bool = true |- _ => apply andb_true_iff in H; destruct H
  | H : Nat.eqb _ _ = true |- _ => apply Nat.eqb_eq in H
  | H : Qle_bool _ _ = true |- _ => apply Qle_bool_true in H
  | H : Qeq_bool _ _ = true |- _ => apply Qeq_bool_true in H
  | H : qle _ _ = true |- _ => apply qle_iff in H
  | H : qeq _ _ = true |- _ => apply qeq_iff in H
  end.

(* ---------- weak duality ---------- *)

(* sum_i q_i max(V_i - mu, -lam): the l1 dual objective without mu + lam r *)
Fixpoint l1_dual_sum (q V : list Q) (mu lam : Q) : Q :=
  match q, V with
  | a :: q', v :: V' => qplus (a * qmax (qminus v mu) (- lam)) (l1_dual_sum q' V' mu lam)
  | _, _ => 0
  end.

(* sum_i max(u_i (V_i - mu), l_i (V_i - mu)): the interval dual objective without mu *)
Fixpoint interval_dual_sum (lo up V : list Q) (mu : Q) : Q :=
  match lo, up, V with
  | l :: lo', u :: up', v :: V' => qplus (qmax (u * qminus v mu) (l * qminus v mu)) (interval_dual_sum lo' up' V' mu)
  | _, _, _ => 0
  end.

Lemma l1_term x y v mu lam :
  0 <= x -> 0 <= lam -> v <= mu + lam ->
  x * v <= mu * x + lam * Qabs (x - y) + y * qmax (qminus v mu) (- lam).
Proof.
  intros Hx Hl Hv. pose proof (qminus_correct v mu) as Hw. unfold qmax.
  destruct (qle (qminus v mu) (- lam)) eqn:E.
  - apply qle_iff in E. rewrite Hw in E.
    apply Qabs_case; intros; nra.
  - assert (~ (qminus v mu <= - lam)) as E' by (intro C; apply qle_iff in C; congruence).
    apply Qnot_le_lt in E'. rewrite Hw in E' |- *.
    apply Qabs_case; intros; nra.
Qed.

(* Weak duality for the l1 ball: for p >= 0, lam >= 0 and V_i <= mu + lam,
   <p,V> <= mu sum p + lam ||p - q||_1 + sum_i q_i max(V_i - mu, -lam). *)
Theorem l1_weak_duality V p q mu lam :
  length p = length V -> length q = length V -> Forall (Qle 0) p ->
  Forall (fun v => v <= mu + lam) V -> 0 <= lam ->
  dot p V <= mu * sum p + lam * l1dist p q + l1_dual_sum q V mu lam.
Proof.
  revert p q; induction V as [|v V IH]; intros p q Hp Hq Hpos HV Hl;
    destruct p as [|x p]; destruct q as [|y q]; cbn [dot sum l1dist l1_dual_sum length] in *; try discriminate.
  - lra.
  - inversion Hpos; subst. inversion HV; subst.
    rewrite qplus_correct.
    pose proof (l1_term x y v mu lam ltac:(assumption) Hl ltac:(assumption)).
    pose proof (IH p q ltac:(lia) ltac:(lia) ltac:(assumption) ltac:(assumption) Hl).
    lra.
Qed.

Lemma interval_term l x u v mu :
  l <= x -> x <= u -> x * v <= mu * x + qmax (u * qminus v mu) (l * qminus v mu).
Proof.
  intros H1 H2. pose proof (qminus_correct v mu) as Hw. unfold qmax.
  destruct (qle (u * qminus v mu) (l * qminus v mu)) eqn:E.
  - apply qle_iff in E. rewrite Hw in E |- *. destruct (Qlt_le_dec (v - mu) 0); nra.
  - assert (~ (u * qminus v mu <= l * qminus v mu)) as E' by (intro C; apply qle_iff in C; congruence).
    apply Qnot_le_lt in E'. rewrite Hw in E' |- *. destruct (Qlt_le_dec (v - mu) 0); nra.
Qed.

(* Weak duality for the box: for lower <= p <= upper,
   <p,V> <= mu sum p + sum_i max(u_i (V_i - mu), l_i (V_i - mu)). *)
Theorem interval_weak_duality V p lo up mu :
  length p = length V -> Forall2 Qle lo p -> Forall2 Qle p up ->
  dot p V <= mu * sum p + interval_dual_sum lo up V mu.
Proof.
  revert p lo up; induction V as [|v V IH]; intros p lo up Hp Hlo Hup;
    destruct p as [|x p]; cbn [dot sum length] in *; try discriminate.
  - inversion Hlo; subst; inversion Hup; subst; cbn [interval_dual_sum]; lra.
  - inversion Hlo; subst; inversion Hup; subst; cbn [interval_dual_sum].
    rewrite qplus_correct.
    pose proof (interval_term x0 x y v mu ltac:(assumption) ltac:(assumption)).
    pose proof (IH p l l' ltac:(lia) ltac:(assumption) ltac:(assumption)).
    lra.
Qed.

Lemma dot_Forall2_eq V p q : Forall2 Qeq p q -> dot p V == dot q V.
Proof.
  intros H; revert V; induction H; intros V; destruct V; cbn [dot]; try reflexivity.
  rewrite H, IHForall2. reflexivity.
Qed.


(* ---------- finite sets: <p, V> over a convex combination ---------- *)

Lemma sum_to_shift f n : sum_to f (S n) == f O + sum_to (fun i => f (S i)) n.
Proof.
  induction n; cbn [sum_to] in *; [lra|]. rewrite IHn. lra.
Qed.

Lemma sum_to_plus f g n : sum_to (fun i => f i + g i) n == sum_to f n + sum_to g n.
Proof. induction n; cbn [sum_to]; [lra|]. rewrite IHn. lra. Qed.

Lemma sum_to_scale k f n : sum_to (fun i => k * f i) n == k * sum_to f n.
Proof. induction n; cbn [sum_to]; [lra|]. rewrite IHn. lra. Qed.

Lemma sum_to_le f g n : (forall i, (i < n)%nat -> f i <= g i) -> sum_to f n <= sum_to g n.
Proof.
  induction n; intros H; cbn [sum_to]; [lra|].
  pose proof (IHn ltac:(intros; apply H; lia)). pose proof (H n ltac:(lia)). lra.
Qed.

Lemma sum_to_swap (g : nat -> nat -> Q) n K :
  sum_to (fun i => sum_to (fun k => g i k) K) n == sum_to (fun k => sum_to (fun i => g i k) n) K.
Proof.
  induction n; cbn [sum_to].
  - induction K; cbn [sum_to]; [reflexivity|]. rewrite <- IHK. lra.
  - rewrite IHn. rewrite <- sum_to_plus. reflexivity.
Qed.

Lemma sum_to_select (g : nat -> Q) k K : (k < K)%nat ->
  sum_to (fun j => if Nat.eqb j k then g j else 0) K == g k.
Proof.
  induction K; intros Hk; [lia|]. cbn [sum_to].
  destruct (Nat.eq_dec k K) as [->|Hne].
  - rewrite Nat.eqb_refl.
    assert (Z : forall m, (m <= K)%nat -> sum_to (fun j => if Nat.eqb j K then g j else 0) m == 0).
    { induction m; intros Hm; cbn [sum_to]; [reflexivity|].
      rewrite IHm by lia. replace (Nat.eqb m K) with false by (symmetry; apply Nat.eqb_neq; lia). lra. }
    rewrite Z by lia. lra.
  - rewrite IHK by lia. replace (Nat.eqb K k) with false by (symmetry; apply Nat.eqb_neq; lia). lra.
Qed.

Lemma dot_sum_to x y : length x = length y ->
  dot x y == sum_to (fun i => nth i x 0 * nth i y 0) (length x).
Proof.
  revert y; induction x as [|a x IH]; intros [|b y] H; cbn [length] in *; try discriminate.
  - reflexivity.
  - rewrite sum_to_shift. cbn [dot nth]. rewrite IH by lia. reflexivity.
Qed.

Lemma sum_sum_to x : sum x == sum_to (fun i => nth i x 0) (length x).
Proof.
  induction x as [|a x IH]; cbn [length sum]; [reflexivity|].
  rewrite sum_to_shift. cbn [nth]. rewrite IH. reflexivity.
Qed.

Lemma nth_map_column i k (xs : list (list Q)) :
  nth k (map (fun x => nth i x 0) xs) 0 = nth i (nth k xs []) 0.
Proof.
  revert k; induction xs as [|x xs IH]; intros [|k]; cbn [map nth]; auto; destruct i; reflexivity.
Qed.

(* <p, V> = sum_k w_k <x_k, V> when p = sum_k w_k x_k, all of length n *)
Lemma dot_combination n w xs p V :
  length V = n -> Forall (fun x => length x = n) xs -> combination n w xs p ->
  dot p V == sum_to (fun k => nth k w 0 * dot (nth k xs []) V) (length xs).
Proof.
  intros HV Hxs [Hp [Hw Hc]].
  rewrite dot_sum_to by lia. rewrite Hp.
  transitivity (sum_to (fun i => sum_to (fun k => nth k w 0 * nth i (nth k xs []) 0 * nth i V 0) (length xs)) n).
  - apply sum_to_ext. intros i Hi. rewrite (Hc i Hi).
    rewrite dot_sum_to by (rewrite map_length; lia).
    rewrite Hw, Qmult_comm, <- sum_to_scale.
    apply sum_to_ext. intros k Hk. rewrite nth_map_column. lra.
  - rewrite sum_to_swap. apply sum_to_ext. intros k Hk.
    assert (Hl : length (nth k xs []) = n).
    { rewrite Forall_forall in Hxs. apply Hxs, nth_In. exact Hk. }
    rewrite dot_sum_to by lia. rewrite Hl. rewrite <- sum_to_scale.
    apply sum_to_ext. intros i Hi. lra.
Qed.

(* The weights of the k-th point: e_k. *)
Definition unit_weights (K k : nat) : list Q := map (fun j => if Nat.eqb j k then 1 else 0) (seq 0 K).

Lemma unit_weights_nth K k j : (j < K)%nat -> nth j (unit_weights K k) 0 = if Nat.eqb j k then 1 else 0.
Proof.
  intros Hj. unfold unit_weights.
  rewrite (nth_indep _ 0 ((fun j => if Nat.eqb j k then 1 else 0) O)) by (rewrite map_length, seq_length; exact Hj).
  pose proof (map_nth (fun j => if Nat.eqb j k then 1 else 0) (seq 0 K) O j) as E. cbv beta in E |- *.
  rewrite E, seq_nth by exact Hj. reflexivity.
Qed.

Lemma unit_weights_length K k : length (unit_weights K k) = K.
Proof. unfold unit_weights. rewrite map_length, seq_length. reflexivity. Qed.

Lemma unit_weights_distribution K k : (k < K)%nat -> is_distribution K (unit_weights K k).
Proof.
  intros Hk. split; [apply unit_weights_length|]. split.
  - unfold unit_weights. apply Forall_map, Forall_forall. intros j _. destruct (Nat.eqb j k); lra.
  - rewrite sum_sum_to, unit_weights_length.
    rewrite (sum_to_ext _ (fun j => if Nat.eqb j k then 1 else 0)).
    + apply (sum_to_select (fun _ => 1)). exact Hk.
    + intros j Hj. rewrite unit_weights_nth by exact Hj. reflexivity.
Qed.

Lemma dot_unit_weights (ys : list Q) k : (k < length ys)%nat ->
  dot (unit_weights (length ys) k) ys == nth k ys 0.
Proof.
  intros Hk. rewrite dot_sum_to by apply unit_weights_length. rewrite unit_weights_length.
  rewrite (sum_to_ext _ (fun j => if Nat.eqb j k then nth j ys 0 else 0)).
  - apply (sum_to_select (fun j => nth j ys 0)). exact Hk.
  - intros j Hj. rewrite unit_weights_nth by exact Hj. destruct (Nat.eqb j k); lra.
Qed.

Lemma Forall2_nth_Qeq (x y : list Q) i : Forall2 Qeq x y -> nth i x 0 == nth i y 0.
Proof.
  intros H; revert i; induction H; intros [|i]; cbn [nth]; try reflexivity; auto.
Qed.

Lemma Forall2_length_eq {X Y} (R : X -> Y -> Prop) x y : Forall2 R x y -> length x = length y.
Proof. induction 1; cbn; congruence. Qed.

(* ---------- one (s,a): the row p* and its dual solution ---------- *)

(* Dual evidence that p* maximises <p, V> over U_{s,a}. *)
Inductive dual :=
  | DNone                  (* the set is one point *)
  | DL1 (mu lam : Q)       (* l1: lam >= 0, V_i <= mu + lam *)
  | DInterval (mu : Q)     (* interval *)
  | DFinite (k : nat).     (* finite: p* is the k-th listed point *)

Definition check_distribution (n : nat) (p : list Q) : bool :=
  Nat.eqb (length p) n && forallb (Qle_bool 0) p && Qeq_bool (sumr p) 1.

Lemma check_distribution_sound n p : check_distribution n p = true -> is_distribution n p.
Proof.
  unfold check_distribution, is_distribution. intros H; split_andb.
  repeat split; auto.
  - apply Forall_forall. rewrite forallb_forall in H1. intros x Hx. apply Qle_bool_true, H1, Hx.
  - rewrite <- sumr_sum. assumption.
Qed.

Definition check_row (n : nat) (q : list Q) (u : uset) (d : dual) (p V : list Q) : bool :=
  match u, d with
  | UNone, DNone => Nat.eqb (length p) n && forallb2 Qeq_bool p q
  | UL1 r, DL1 mu lam =>
      check_distribution n p && Qle_bool (l1distr p q) r &&
      Qle_bool 0 lam && forallb (fun v => qle v (qplus mu lam)) V &&
      Nat.eqb (length q) n &&
      Qeq_bool (dotr p V) (mu + lam * r + l1_dual_sum q V mu lam)
  | UInterval lo up, DInterval mu =>
      check_distribution n p && forallb2 Qle_bool lo p && forallb2 Qle_bool p up &&
      Qeq_bool (dotr p V) (mu + interval_dual_sum lo up V mu)
  | UFinite pts, DFinite k =>
      Nat.eqb (length p) n && forallb (fun x => Nat.eqb (length x) n) pts &&
      Nat.ltb k (length pts) && forallb2 Qeq_bool p (nth k pts []) &&
      forallb (fun x => qle (dotr x V) (dotr p V)) pts
  | _, _ => false
  end.

Theorem check_row_sound n q u d p V :
  length V = n -> check_row n q u d p V = true ->
  in_set n q u p /\ is_max_over n q u V (dot p V).
Proof.
  intros HV H.
  destruct u as [|r|lo up|pts]; destruct d as [|mu lam|mu|k]; simpl in H; try discriminate.
  - split_andb.
    assert (Hp : Forall2 Qeq p q) by (apply (forallb2_Forall2 Qeq_bool); [apply Qeq_bool_true|assumption]).
    assert (Hin : in_set n q UNone p) by (simpl; auto).
    split; [exact Hin|]. split; [|exists p; split; [exact Hin|reflexivity]].
    intros p' [_ Hp']. rewrite (dot_Forall2_eq V p' q Hp'), (dot_Forall2_eq V p q Hp). apply Qle_refl.
  - split_andb.
    apply check_distribution_sound in H.
    assert (Hin : in_set n q (UL1 r) p) by (simpl; split; [assumption|rewrite <- l1distr_l1dist; assumption]).
    split; [exact Hin|]. split; [|exists p; split; [exact Hin|reflexivity]].
    intros p' [[Hlen [Hpos Hsum]] Hr].
    assert (HVf : Forall (fun v => v <= mu + lam) V).
    { apply Forall_forall. rewrite forallb_forall in H2. intros x Hx.
      pose proof (H2 x Hx) as E. apply qle_iff in E. rewrite qplus_correct in E. exact E. }
    pose proof (l1_weak_duality V p' q mu lam ltac:(lia) ltac:(lia) Hpos HVf H3) as W.
    rewrite dotr_dot in H0. rewrite H0. rewrite Hsum in W.
    assert (lam * l1dist p' q <= lam * r) by nra. lra.
  - split_andb.
    apply check_distribution_sound in H.
    assert (Hlo : Forall2 Qle lo p) by (apply (forallb2_Forall2 Qle_bool); [apply Qle_bool_true|assumption]).
    assert (Hup : Forall2 Qle p up) by (apply (forallb2_Forall2 Qle_bool); [apply Qle_bool_true|assumption]).
    assert (Hin : in_set n q (UInterval lo up) p) by (simpl; auto).
    split; [exact Hin|]. split; [|exists p; split; [exact Hin|reflexivity]].
    intros p' [[Hlen [Hpos Hsum]] [Hlo' Hup']].
    pose proof (interval_weak_duality V p' lo up mu ltac:(lia) Hlo' Hup') as W.
    rewrite dotr_dot in H0. rewrite H0. rewrite Hsum in W. lra.
  - split_andb.
    rename H into Hp, H3 into Hxs, H2 into Hk, H1 into Heq, H0 into Hbest.
    apply Nat.ltb_lt in Hk.
    assert (Hxs' : Forall (fun x => length x = n) pts).
    { apply Forall_forall. rewrite forallb_forall in Hxs. intros x Hx. apply Nat.eqb_eq, Hxs, Hx. }
    assert (Hpk : Forall2 Qeq p (nth k pts [])) by (apply (forallb2_Forall2 Qeq_bool); [apply Qeq_bool_true|assumption]).
    assert (Hin : in_set n q (UFinite pts) p).
    { exists (unit_weights (length pts) k). split; [apply unit_weights_distribution; exact Hk|].
      split; [exact Hp|]. split; [apply unit_weights_length|].
      intros i Hi. rewrite (Forall2_nth_Qeq _ _ i Hpk).
      rewrite <- (map_length (fun x => nth i x 0) pts) at 1.
      rewrite dot_unit_weights by (rewrite map_length; exact Hk).
      rewrite nth_map_column. reflexivity. }
    split; [exact Hin|]. split; [|exists p; split; [exact Hin|reflexivity]].
    intros p' [w [[Hwl [Hwpos Hwsum]] Hcomb]].
    rewrite (dot_combination n w pts p' V HV Hxs' Hcomb).
    apply (Qle_trans _ (sum_to (fun k0 => nth k0 w 0 * dot p V) (length pts))).
    + apply sum_to_le. intros k0 Hk0.
      assert (0 <= nth k0 w 0) by (rewrite Forall_nth in Hwpos; apply Hwpos; lia).
      assert (dot (nth k0 pts []) V <= dot p V).
      { rewrite forallb_forall in Hbest. pose proof (Hbest _ (nth_In pts [] Hk0)) as E.
        apply qle_iff in E. rewrite !dotr_dot in E. exact E. }
      nra.
    + rewrite (sum_to_ext _ (fun k0 => dot p V * nth k0 w 0)) by (intros; apply Qmult_comm).
      rewrite sum_to_scale, <- Hwl, <- sum_sum_to, Hwsum. lra.
Qed.

(* ---------- whole certificates ---------- *)

(* What is claimed about the policy pi. *)
Inductive claim :=
  | Evaluation (pi : policy)   (* V is the robust value of pi *)
  | Optimal (pi : policy).     (* V is the optimal robust value and pi is greedy for it *)

Record certificate := {
  cert_V : list Q;                    (* V(s) *)
  cert_p : list (list (list Q));      (* worst-case rows p*(.|s,a) *)
  cert_dual : list (list dual);       (* dual evidence per (s,a) *)
  cert_Q : list (list Q) }.           (* robust Q(s,a) (Optimal only) *)

Definition holds (M : mdp) (k : claim) (V : list Q) : Prop :=
  match k with
  | Evaluation pi => is_robust_value M pi V
  | Optimal pi => is_robust_optimal M pi V
  end.

Definition check_discount (M : mdp) : bool := Qle_bool 0 (gamma M) && negb (Qle_bool 1 (gamma M)).

Definition pstar (C : certificate) s a := at2 [] (cert_p C) s a.
Definition qr (M : mdp) (C : certificate) s a := c M s a + gamma M * dotr (pstar C s a) (cert_V C).

Definition check_rows (M : mdp) (C : certificate) : bool :=
  forallb (fun s => forallb (fun a =>
     check_row (nS M) (nominal M s a) (uset_at M s a) (at2 DNone (cert_dual C) s a) (pstar C s a) (cert_V C))
     (seq 0 (nA M))) (seq 0 (nS M)).

Definition check_state (M : mdp) (k : claim) (C : certificate) (s : nat) : bool :=
  let V_s := nth s (cert_V C) 0 in
  match k with
  | Evaluation pi => Qeq_bool V_s (sum_tor (fun a => pol pi s a * qr M C s a) (nA M))
  | Optimal pi =>
      let Qs a := at2 0 (cert_Q C) s a in
      forallb (fun a => Qeq_bool (Qs a) (qr M C s a)) (seq 0 (nA M)) &&
      forallb (fun a => qle V_s (Qs a)) (seq 0 (nA M)) &&
      existsb (fun a => qeq V_s (Qs a)) (seq 0 (nA M)) &&
      forallb (fun a => Qle_bool 0 (pol pi s a)) (seq 0 (nA M)) &&
      Qeq_bool (sum_tor (pol pi s) (nA M)) 1 &&
      Qeq_bool V_s (sum_tor (fun a => pol pi s a * Qs a) (nA M))
  end.

Definition check (M : mdp) (k : claim) (C : certificate) : bool :=
  check_discount M && Nat.eqb (length (cert_V C)) (nS M) && check_rows M C &&
  forallb (check_state M k C) (seq 0 (nS M)).

(* The soundness theorem: an accepted certificate proves the semantic statement. *)
Theorem check_sound (M : mdp) (k : claim) (C : certificate) :
  check M k C = true -> holds M k (cert_V C).
Proof.
  unfold check. intros H. split_andb.
  rename H into Hdisc, H2 into Hlen, H1 into Hrows, H0 into Hstates.
  unfold check_discount in Hdisc. split_andb.
  assert (Hg1 : gamma M < 1).
  { apply Qnot_le_lt. intro C1. apply Qle_bool_iff in C1. rewrite C1 in H0. discriminate. }
  set (W := fun s a => dot (pstar C s a) (cert_V C)).
  assert (HW : worst_values M (cert_V C) W).
  { intros s a Hs Ha. unfold check_rows in Hrows.
    pose proof (forallb_seq _ _ Hrows s Hs) as Hr.
    pose proof (forallb_seq _ _ Hr a Ha) as Hra.
    apply (check_row_sound _ _ _ _ _ _ Hlen) in Hra. apply Hra. }
  assert (Hqr : forall s a, qr M C s a == robust_q M W s a).
  { intros s a. unfold qr, robust_q, W. rewrite dotr_dot. reflexivity. }
  pose proof (forallb_seq _ _ Hstates) as Hst.
  destruct k as [pi|pi]; simpl.
  - split; [split; assumption|]. split; [exact Hlen|]. exists W. split; [exact HW|].
    intros s Hs. specialize (Hst s Hs). simpl in Hst. split_andb.
    rewrite Hst, sum_tor_sum_to. apply sum_to_ext. intros a Ha. rewrite Hqr. reflexivity.
  - split; [split; assumption|]. split; [exact Hlen|]. exists W. split; [exact HW|].
    intros s Hs. specialize (Hst s Hs). simpl in Hst. split_andb.
    set (Qs := fun a => at2 0 (cert_Q C) s a) in *.
    assert (HQ : forall a, (a < nA M)%nat -> Qs a == robust_q M W s a).
    { intros a Ha. pose proof (forallb_seq _ _ H1 a Ha) as E. simpl in E.
      apply Qeq_bool_true in E. rewrite E. apply Hqr. }
    repeat split.
    + intros a Ha. pose proof (forallb_seq _ _ H6 a Ha) as E. simpl in E.
      apply qle_iff in E. rewrite <- HQ by exact Ha. exact E.
    + apply existsb_exists in H5. destruct H5 as [a [Ha E]]. apply in_seq in Ha.
      apply qeq_iff in E. exists a. split; [lia|]. rewrite E. apply HQ. lia.
    + intros a Ha. pose proof (forallb_seq _ _ H4 a Ha) as E. simpl in E. apply Qle_bool_true, E.
    + rewrite <- sum_tor_sum_to. exact H3.
    + rewrite H2, sum_tor_sum_to. apply sum_to_ext. intros a Ha. rewrite HQ by exact Ha. reflexivity.
Qed.
